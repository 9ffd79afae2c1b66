import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import NIOCore

/// An error as the API answers it (DESIGN §6): `{"error": {"code", "message", "fields"?}}` with its status.
///
/// The one place where errors become HTTP statuses; the console's error pages use the same mapping.
struct HTTPProblem: HTTPResponseError, Equatable {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    var fields: [String: String]?
    /// Extra response headers, such as `Retry-After` on 429.
    var headers: HTTPFields = [:]

    init(
        _ status: HTTPResponse.Status, _ code: String, _ message: String, fields: [String: String]? = nil,
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.headers = headers
    }

    init(_ error: any Error) {
        switch error {
        case let problem as HTTPProblem: self = problem
        case KeyError.notFound, AccountError.notFound, WorkspaceError.notFound: self.init(.notFound, "NOT_FOUND", "Not found")
        case WorkspaceError.invalid(let fields): self.init(.unprocessableContent, "VALIDATION", "Invalid fields", fields: fields)
        case WorkspaceError.forbidden(let message): self.init(.forbidden, "FORBIDDEN", message)
        case WorkspaceError.conflict(let message): self.init(.conflict, "CONFLICT", message)
        case WorkspaceError.nameTaken(let message):
            self.init(.conflict, "CONFLICT", "The name is taken", fields: ["name": message])
        case KeyError.nameTaken(let name):
            self.init(
                .conflict, "CONFLICT", "A key named “\(name)” already exists",
                fields: ["name": "This name is already used in this project."])
        case KeyError.invalid(let fields): self.init(.unprocessableContent, "VALIDATION", "Invalid fields", fields: fields)
        case let error as KeyError: self.init(.conflict, "INVALID_STATE", "\(error)")
        case is Argon2Overloaded:
            self.init(
                .serviceUnavailable, "OVERLOADED", "Too many secrets are being checked right now; retry in a second",
                headers: [.retryAfter: "1"])
        case is CSRFRejected: self.init(.forbidden, "FORBIDDEN", "Missing or wrong CSRF token, or a foreign Origin")
        case let error as any HTTPResponseError:
            switch error.status {
            case .notFound: self.init(.notFound, "NOT_FOUND", "Not found")
            case .contentTooLarge: self.init(.contentTooLarge, "PAYLOAD_TOO_LARGE", "The request body is larger than 64 KiB")
            case .methodNotAllowed: self.init(.methodNotAllowed, "METHOD_NOT_ALLOWED", "Method not allowed")
            default: self.init(error.status, "HTTP_\(error.status.code)", error.status.reasonPhrase)
            }
        default: self.init(.internalServerError, "INTERNAL", "Something went wrong")  // logged by the caller, never echoed
        }
    }

    static func missingAPIKey() -> HTTPProblem { HTTPProblem(.unauthorized, "MISSING_API_KEY", "Missing API key") }
    static func invalidAPIKey() -> HTTPProblem { HTTPProblem(.unauthorized, "INVALID_API_KEY", "Invalid or inactive API key") }
    /// 401, not 400: nginx's `auth_request` passes only 401 and 403 on to the client.
    static func ambiguousCredentials() -> HTTPProblem {
        HTTPProblem(.unauthorized, "AMBIGUOUS_CREDENTIALS", "Two different API keys were presented; send one")
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        // `{"error": {"code", "fields"?, "message"}}`, keys sorted, written without JSONEncoder: every 401 of a
        // flood of bad keys comes through here.
        var json = JSONWriter(capacity: 128)
        json.object { json in
            json.key("error")
            json.object { json in
                json.field("code", code)
                if let fields {
                    json.key("fields")
                    json.object { json in
                        for (name, message) in fields.sorted(by: { $0.key < $1.key }) { json.field(name, message) }
                    }
                }
                json.field("message", message)
            }
        }
        let data = json.bytes
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
