import HTTPTypes
import Hummingbird

/// An unsafe request without the right CSRF token or from a foreign origin; nothing it asked for happens.
struct CSRFRejected: HTTPResponseError {
    var status: HTTPResponse.Status { .forbidden }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status)
    }
}
