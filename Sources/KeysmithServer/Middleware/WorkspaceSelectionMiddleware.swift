import Hummingbird
import KeysmithStore

/// Finds where a signed-in user is — their workspaces, the current one (as the session remembers it, if they are
/// still a member) with their role, its projects and the current project — once per console request.
struct WorkspaceSelectionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let database: any WorkspaceStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        if let account = context.identity {
            context.selection = try await database.selection(
                accountId: account.accountId, workspace: account.sessionWorkspace, project: account.sessionProject)
        }
        return try await next(request, context)
    }
}
