import HTTPTypes
import Hummingbird
import Logging

/// Turns every error of a console route into a page with the site's layout. Unexpected errors are logged with the
/// request id and shown only as "Something went wrong".
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
            return try page(for: HTTPProblem(logging: error, context: context), context: context)
        }
    }

    func page(for problem: HTTPProblem, context: Context) throws -> Response {
        var (heading, message) = Self.explanation(for: problem.status)
        // A role that does not allow the action: say so, rather than blame an expired form.
        if problem.status == .forbidden, problem.code == "FORBIDDEN", problem.message.contains("does not allow") {
            (heading, message) = ("Not allowed for your role", problem.message + " Ask an owner or admin of this workspace.")
        }
        let page = ErrorPage(layout: Layout(heading, context), status: problem.status.code, heading: heading, message: message)
        var response = try views.render(page, status: problem.status)
        response.headers.append(contentsOf: problem.headers)  // Retry-After on 429 and 503
        return response
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
        case .serviceUnavailable: ("Keysmith is busy", "Too many requests are being checked right now. Try again in a moment.")
        default: ("Something went wrong", "An unexpected error happened on our side. It has been logged; please try again.")
        }
    }
}

/// DESIGN §6's JSON envelope for every error of an API route.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return try HTTPProblem(logging: error, context: context).response(from: request, context: context)
        }
    }
}

/// For requests no route matched (the only place that looks at a path to choose): JSON under `/api/`, the console's
/// 404 page elsewhere.
struct UnmatchedRouteMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let pages: ErrorPageMiddleware

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            let problem = HTTPProblem(logging: error, context: context)
            if request.uri.path.hasPrefix("/api/") { return try problem.response(from: request, context: context) }
            return try pages.page(for: problem, context: context)
        }
    }
}

extension HTTPProblem {
    /// The problem for `error`; an unexpected one (500) is logged with the request id, never echoed.
    init(logging error: any Error, context: some RequestContext) {
        self.init(error)
        if status == .internalServerError {
            context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))", "error": "\(error)"])
        }
    }
}
