import HTTPTypes
import Hummingbird
import KeysmithCore
import Logging

/// Turns every console error into a page with the site's layout: 404, 403 (CSRF), 413, 500. Unexpected errors are
/// logged with the request id and shown only as "Something went wrong".
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
            let status = Self.status(for: error)
            if status == .internalServerError {
                context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))", "error": "\(error)"])
            }
            let (heading, message) = Self.explanation(for: status)
            let page = ErrorPage(layout: Layout(heading, context), status: status.code, heading: heading, message: message)
            return try views.render(page, status: status)
        }
    }

    static func status(for error: any Error) -> HTTPResponse.Status {
        switch error {
        case KeyError.notFound, AccountError.notFound: .notFound
        case let error as any HTTPResponseError: error.status
        default: .internalServerError
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
