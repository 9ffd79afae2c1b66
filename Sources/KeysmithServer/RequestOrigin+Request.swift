import Hummingbird
import KeysmithCore

extension RequestOrigin {
    /// The socket peer and User-Agent of a request, for audit entries and sessions.
    init(_ request: Request, _ context: some RemoteAddressRequestContext) {
        self.init(ip: context.remoteAddress?.ipAddress, userAgent: request.headers[.userAgent])
    }

    /// The throttle bucket of this client.
    var throttleKey: String { "ip:\(ip ?? "unknown")" }
}
