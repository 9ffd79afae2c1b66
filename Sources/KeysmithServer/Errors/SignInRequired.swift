import HTTPTypes
import Hummingbird

/// Thrown when a console page is asked for without a session; answers with a redirect to the login page.
struct SignInRequired: HTTPResponseError {
    var status: HTTPResponse.Status { .seeOther }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        .redirect(to: SiteURL.loginPath(returningTo: request.uri.path), type: .normal)
    }
}
