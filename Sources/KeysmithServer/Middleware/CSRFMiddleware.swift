import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore

/// Refuses every unsafe console request that does not carry this visitor's CSRF token (form field `csrf_token` or
/// header `X-CSRF-Token`) or that names a foreign `Origin`. Signed-in visitors use their session's token; everyone
/// else a signed double-submit cookie set here on first sight. The management API has its own rule
/// (`APISessionCSRFMiddleware`); verification needs none.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    static let fieldName = "csrf_token"

    let cookies: CookieJar

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var request = request
        var context = context
        var newPreSessionToken: String?
        if let cookie = request.cookies[CookieNames.csrf]?.value, let existing = cookies.readPreSessionCSRF(cookie),
            existing.utf8.count == 43
        {
            context.preSessionCSRFToken = existing
        } else if context.identity == nil {
            newPreSessionToken = RandomToken.make()
            context.preSessionCSRFToken = newPreSessionToken ?? ""
        }

        if !request.method.isSafe {
            guard Self.originMatches(request) else { throw CSRFRejected() }
            let presented = try await presentedToken(&request, context: context)
            // A token minted on this very request cannot have been seen by the sender: nothing to compare against.
            guard newPreSessionToken == nil, let presented, RandomToken.constantTimeEquals(presented, context.csrfToken) else {
                throw CSRFRejected()
            }
        }

        var response = try await next(request, context)
        // Only pages carry forms; redirects and assets need no token.
        if let newPreSessionToken, response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.setCookie(cookies.preSessionCSRF(newPreSessionToken))
        }
        return response
    }

    /// The header wins; otherwise the form field, read from the body (kept for the handler to decode again).
    private func presentedToken(_ request: inout Request, context: Context) async throws -> String? {
        if let header = request.headers[.xCSRFToken] { return header }
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            return nil
        }
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let form = String(buffer: body)
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, parts[0] == Self.fieldName {
                return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            }
        }
        return nil
    }

    /// DESIGN §10: `Origin` is checked only when present and not `null`; it must name this host.
    static func originMatches(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin], origin != "null" else { return true }
        guard let host = request.head.authority,
            let url = URL(string: origin), let scheme = url.scheme, let originHost = url.host
        else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return ["http", "https"].contains(scheme) && originAuthority.lowercased() == host.lowercased()
    }
}

extension HTTPRequest.Method {
    var isSafe: Bool { self == .get || self == .head || self == .options }
}
