import HTTPTypes
import Hummingbird
import Logging

/// Turns every error into what its audience reads: a page with the site's layout for the console, DESIGN §6's JSON
/// envelope under `/api/`. Unexpected errors are logged with the request id and shown only as "Something went wrong".
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as SignInRequired {
            return try error.response(from: request, context: context)
        } catch {
            let problem = HTTPProblem(error)
            if problem.status == .internalServerError {
                context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))", "error": "\(error)"])
            }
            if request.uri.path.hasPrefix("/api/") {
                return try problem.response(from: request, context: context)
            }
            let status = problem.status
            let (heading, message) = Self.explanation(for: status)
            let page = ErrorPage(layout: Layout(heading, context), status: status.code, heading: heading, message: message)
            return try views.render(page, status: status)
        }
    }

    static func explanation(for status: HTTPResponse.Status) -> (heading: String, message: String) {
        switch status {
        case .notFound: ("Page not found", "There is nothing at this address, or it belongs to another account.")
        case .forbidden:
            ("Request refused", "This form has expired or was sent from another site. Go back, reload the page and try again.")
        case .contentTooLarge: ("Request too large", "That was more data than Keysmith accepts in one form.")
        case .methodNotAllowed: ("Not allowed", "This address does not accept that kind of request.")
        case .badRequest: ("Bad request", "The request could not be understood. Go back and try again.")
        case .tooManyRequests: ("Too many requests", "Slow down a little and try again in a minute.")
        default: ("Something went wrong", "An unexpected error happened on our side. It has been logged; please try again.")
        }
    }
}
