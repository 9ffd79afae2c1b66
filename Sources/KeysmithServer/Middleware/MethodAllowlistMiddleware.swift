import HTTPTypes
import Hummingbird

/// Answers 405 before any session or CSRF work for methods Keysmith never serves (TRACE, CONNECT…) and for
/// read-only paths outside the API (`/healthz`), which would otherwise meet the CSRF check first and answer 403.
struct MethodAllowlistMiddleware<Context: RequestContext>: RouterMiddleware {
    /// A switch, not a set: this runs before every request.
    static func serves(_ method: HTTPRequest.Method) -> Bool {
        switch method {
        case .get, .head, .post, .put, .patch, .delete, .options: true
        default: false
        }
    }

    static func isReadOnly(_ path: String) -> Bool {
        path == SiteURL.health.path || path == SiteURL.metrics.path
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        if !Self.serves(request.method) {
            throw HTTPProblem(
                .methodNotAllowed, "METHOD_NOT_ALLOWED", "Method not allowed", headers: [.allow: "GET, POST, PATCH, DELETE"])
        }
        if Self.isReadOnly(request.uri.path), request.method != .get, request.method != .head {
            throw HTTPProblem(.methodNotAllowed, "METHOD_NOT_ALLOWED", "Use GET here", headers: [.allow: "GET"])
        }
        return try await next(request, context)
    }
}
