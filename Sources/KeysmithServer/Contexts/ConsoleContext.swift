import Hummingbird
import KeysmithCore
import KeysmithStore
import NIOCore

/// The context of signed-in console pages: `account` and `selection` are not optional, so a handler cannot forget
/// the checks. `selection` is where the user is: workspace, role, project.
struct ConsoleContext: ChildRequestContext, RemoteAddressRequestContext, ClientAddressContext {
    var coreContext: CoreRequestContextStorage
    let account: SignedInAccount
    let selection: WorkspaceSelection
    let remoteAddress: SocketAddress?
    let clientIP: String?
    let csrfToken: String
    let flash: Flash?

    init(context: AppRequestContext) throws {
        guard let account = context.identity, let selection = context.selection else { throw SignInRequired() }
        self.coreContext = context.coreContext  // copy: it already holds the path parameters
        self.account = account
        self.selection = selection
        self.remoteAddress = context.remoteAddress
        self.clientIP = context.clientIP
        self.csrfToken = context.csrfToken
        self.flash = context.flash
    }

    var workspace: WorkspaceRecord { selection.workspace }
    var project: ProjectRecord { selection.project }
    var role: Role { selection.role }

    /// Throws the 403 when the user's role does not allow `action` here (DESIGN §11's table).
    func require(_ action: WorkspaceAction) throws {
        guard role.allows(action) else {
            throw WorkspaceError.forbidden("Your role (\(role.rawValue)) in \(workspace.name) does not allow this.")
        }
    }

    var maxUploadSize: Int { 64 * 1024 }
    var requestDecoder: URLEncodedFormDecoder { URLEncodedFormDecoder() }
}
