import Foundation
import Hummingbird
import KeysmithCore

/// Decides the client address once per request. `X-Forwarded-For` counts only when the socket peer is a configured
/// trusted proxy; then the rightmost address that is not itself a trusted proxy is the client (what a spoofer
/// prepends is ignored).
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let trustedProxies: [IPRange]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        guard !trustedProxies.isEmpty, let peer = context.clientIP, isTrusted(peer),
            let forwarded = request.headers[values: .xForwardedFor].joined(separator: ",").nilIfEmpty
        else {
            return try await next(request, context)
        }
        var context = context
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var client = peer
        for hop in hops.reversed() {
            guard IPAddress(hop) != nil else { break }
            client = hop
            if !isTrusted(hop) { break }
        }
        context.clientIP = client
        return try await next(request, context)
    }

    private func isTrusted(_ address: String) -> Bool {
        guard let address = IPAddress(address) else { return false }
        return trustedProxies.contains { $0.contains(address) }
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
