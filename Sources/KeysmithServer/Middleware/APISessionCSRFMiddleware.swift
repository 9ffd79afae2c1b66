import Hummingbird
import KeysmithCore

/// CSRF for the management API: it rides on ambient cookies, so only a call authenticated by the console session
/// must prove it comes from a Keysmith page (header `X-CSRF-Token` with the session's token, no foreign `Origin`).
/// A call that presents a key sends its credential explicitly (a cross-site form cannot set those headers), and a
/// call with neither answers 401 on its own.
struct APISessionCSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        if !request.method.isSafe, let identity = context.identity, !PresentedCredential.isPresented(in: request) {
            guard CSRFMiddleware.originMatches(request), let presented = request.headers[.xCSRFToken],
                RandomToken.constantTimeEquals(presented, identity.csrfToken)
            else { throw CSRFRejected() }
        }
        return try await next(request, context)
    }
}
