import Hummingbird
import KeysmithCore

/// Decides the client address once per request: the socket peer, or behind a configured trusted proxy the client
/// it names in `X-Forwarded-For` (see `ForwardedClient`).
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let trustedProxies: [IPRange]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        guard !trustedProxies.isEmpty else { return try await next(request, context) }
        var context = context
        context.clientIP = ForwardedClient.resolve(
            peer: context.clientIP, forwardedFor: request.headers[values: .xForwardedFor], trustedProxies: trustedProxies
        )
        return try await next(request, context)
    }
}
