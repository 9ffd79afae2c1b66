import Hummingbird
import HummingbirdAuth
import KeysmithStore
import NIOCore

/// The context of every request: the optional signed-in account, the CSRF token for its forms and a pending flash.
public struct AppRequestContext: AuthRequestContext, RemoteAddressRequestContext, ClientAddressContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: SignedInAccount?
    public let remoteAddress: SocketAddress?
    /// The socket peer, replaced by `ClientAddressMiddleware` with the forwarded client behind a trusted proxy.
    var clientIP: String?
    /// Set by `CSRFMiddleware` for visitors who are not signed in: the double-submit cookie's value.
    var preSessionCSRFToken = ""
    /// Set by `FlashMiddleware` from the signed flash cookie.
    var flash: Flash?
    /// Set by `WorkspaceSelectionMiddleware` on console pages: the signed-in user's current workspace and project.
    var selection: WorkspaceSelection?

    /// The token every form of this page must carry: the session's when signed in.
    var csrfToken: String { identity?.csrfToken ?? preSessionCSRFToken }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.clientIP = remoteAddress?.ipAddress
    }

    /// Forms are small; anything bigger is refused with 413 before it is parsed.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The console posts HTML forms.
    public var requestDecoder: URLEncodedFormDecoder { URLEncodedFormDecoder() }
}
