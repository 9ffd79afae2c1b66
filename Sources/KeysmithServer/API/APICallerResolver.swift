import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore

/// Answers "who is calling the management API, in which workspace, for which project?" (DESIGN §11).
///
/// A presented key must be an admin key (a project key is never accepted here: 401); without one, the console
/// session decides (its CSRF header checked by `APISessionCSRFMiddleware`), in the workspace `x-workspace-id` names
/// or else the user's personal one. Projects are chosen with `x-project-id` (or seed 004's `x-entity-id`).
struct APICallerResolver: Sendable {
    let database: any WorkspaceStore & ProjectStore
    let adminKeys: AdminKeyAuthenticator

    static let workspaceHeader = HTTPField.Name.xWorkspaceID
    static let projectHeader = HTTPField.Name.xProjectID
    static let entityHeader = HTTPField.Name.xEntityID

    /// `workspace` is the one a path names (`/workspaces/{id}`); otherwise the header or the default decides.
    func caller(_ request: Request, context: APIContext, workspace named: WorkspaceID? = nil) async throws -> APICaller {
        let origin = RequestOrigin(request, context)
        if PresentedCredential.isPresented(in: request) {
            let key = try await adminKey(request, context: context)
            guard let workspace = try await database.workspace(id: key.workspaceID) else { throw HTTPProblem.invalidAPIKey() }
            // An admin key belongs to one workspace; any other is not found for it.
            if let named, named != workspace.id { throw HTTPProblem(WorkspaceError.notFound) }
            return APICaller(
                workspace: workspace, credential: .adminKey(key), origin: origin.by(.adminKey(id: key.id.value, name: key.name)))
        }
        guard let account = context.identity else {
            throw HTTPProblem(.unauthorized, "UNAUTHORIZED", "Sign in, or present an admin key")
        }
        var requested = named
        if requested == nil, let text = request.headers[Self.workspaceHeader] {
            guard let id = WorkspaceID(text) else { throw HTTPProblem(WorkspaceError.notFound) }
            requested = id
        }
        guard let selection = try await database.selection(accountId: account.accountId, workspace: requested, project: nil),
            requested == nil || selection.workspace.id == requested
        else { throw HTTPProblem(WorkspaceError.notFound) }
        return APICaller(
            workspace: selection.workspace, credential: .member(account, selection.role), origin: origin.by(account.actor))
    }

    /// The project a call works in: the one the header names (if the caller reaches it), else the only one the
    /// caller reaches; several and none named is 422 `PROJECT_REQUIRED`.
    func project(for caller: APICaller, _ request: Request) async throws -> ProjectRecord {
        let reachable = try await database.projects(of: caller.workspaceID).filter { caller.reaches($0.id) }
        if let text = request.headers[Self.projectHeader] ?? request.headers[Self.entityHeader] {
            guard let id = ProjectID(text), let project = reachable.first(where: { $0.id == id }) else {
                throw HTTPProblem(WorkspaceError.notFound)
            }
            return project
        }
        guard reachable.count == 1, let only = reachable.first else {
            throw HTTPProblem(
                .unprocessableContent, "PROJECT_REQUIRED", "Choose a project with the x-project-id header",
                fields: ["project": "This caller can reach \(reachable.count) projects; name one in x-project-id."])
        }
        return only
    }

    /// Whether a key may be touched by this call: in a project the caller reaches and, when a project header came
    /// along, in that one.
    func check(_ key: APIKey, for caller: APICaller, _ request: Request) throws {
        let named = (request.headers[Self.projectHeader] ?? request.headers[Self.entityHeader]).map { ProjectID(unchecked: $0) }
        guard caller.reaches(key.projectID), named.map({ $0 == key.projectID }) ?? true else { throw KeyError.notFound }
    }

    /// The signed-in user of a session-only route (workspaces, accepting an invitation): admin keys are refused.
    func sessionUser(_ request: Request, context: APIContext) throws -> SignedInAccount {
        if PresentedCredential.isPresented(in: request) {
            throw HTTPProblem(.forbidden, "FORBIDDEN", "This route is for signed-in users; admin keys cannot use it")
        }
        guard let account = context.identity else {
            throw HTTPProblem(.unauthorized, "UNAUTHORIZED", "Sign in to use this route")
        }
        return account
    }

    private func adminKey(_ request: Request, context: APIContext) async throws -> AdminKey {
        let token: AdminKeyToken
        switch try PresentedCredential.checked(request) {
        case .adminToken(let admin): token = admin
        case .token(let project): token = AdminKeyToken(migrated: project)  // admin keys made before workspaces
        case .missing: throw HTTPProblem.invalidAPIKey()
        }
        do {
            return try await adminKeys.authenticate(token, clientIP: context.clientIP)
        } catch AdminKeyAuthenticator.Refusal.ipNotAllowed {
            throw HTTPProblem(.forbidden, "IP_NOT_ALLOWED", "This admin key may not be used from this address")
        } catch is AdminKeyAuthenticator.Refusal {
            throw HTTPProblem.invalidAPIKey()
        }
    }
}
