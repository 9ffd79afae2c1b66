import HTTPTypes
import Hummingbird

/// DESIGN §8's response headers on every answer, error pages included.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var headers: HTTPFields { securityHeaders }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        for field in Self.headers where response.headers[field.name] == nil {
            response.headers.append(field)
        }
        return response
    }
}

/// DESIGN §8's headers, built once: every answer carries them.
private let securityHeaders: HTTPFields = [
    .contentSecurityPolicy:
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
        + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    .xFrameOptions: "DENY",
    .referrerPolicy: "same-origin",
    .xContentTypeOptions: "nosniff",
]
