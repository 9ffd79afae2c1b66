import Hummingbird
import NIOCore

/// The context of signed-in console pages: `account` is not optional, so a handler cannot forget the check.
struct ConsoleContext: ChildRequestContext, RemoteAddressRequestContext, ClientAddressContext {
    var coreContext: CoreRequestContextStorage
    let account: SignedInAccount
    let remoteAddress: SocketAddress?
    let clientIP: String?
    let csrfToken: String
    let flash: Flash?

    init(context: AppRequestContext) throws {
        guard let account = context.identity else { throw SignInRequired() }
        self.coreContext = context.coreContext  // copy: it already holds the path parameters
        self.account = account
        self.remoteAddress = context.remoteAddress
        self.clientIP = context.clientIP
        self.csrfToken = context.csrfToken
        self.flash = context.flash
    }

    var maxUploadSize: Int { 64 * 1024 }
    var requestDecoder: URLEncodedFormDecoder { URLEncodedFormDecoder() }
}
