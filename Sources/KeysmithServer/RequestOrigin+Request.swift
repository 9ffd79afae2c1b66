import Hummingbird
import KeysmithCore

extension RequestOrigin {
    /// The client address and User-Agent of a request, for audit entries and sessions.
    init(_ request: Request, _ context: some ClientAddressContext) {
        self.init(ip: context.clientIP, userAgent: request.headers[.userAgent])
    }

    /// The same, naming the signed-in user as the actor.
    init(_ request: Request, _ context: ConsoleContext) {
        self.init(ip: context.clientIP, userAgent: request.headers[.userAgent], actor: context.account.actor)
    }
}
