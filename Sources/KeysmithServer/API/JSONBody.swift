import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Reads a JSON request body with DESIGN §6's answers for what can go wrong: 413 over 64 KiB, 415 for another media
/// type, 400 `BAD_JSON` for broken JSON, 422 `VALIDATION` naming the field whose type or value is wrong.
enum JSONBody {
    /// The decoded body; an empty body is 400 `BAD_JSON`.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, context: APIContext) async throws -> T {
        guard let body = try await decodeIfPresent(T.self, from: request, context: context) else {
            throw HTTPProblem(.badRequest, "BAD_JSON", "The request needs a JSON body")
        }
        return body
    }

    /// The decoded body, or nil when there is none (actions like activate need none).
    static func decodeIfPresent<T: Decodable>(_ type: T.Type, from request: Request, context: APIContext) async throws -> T? {
        guard let buffer = try await jsonBytes(of: request, context: context) else { return nil }
        return try decode(T.self, from: buffer)
    }

    /// Like `decode`, but a flat object of plain strings (a verification body) skips `JSONDecoder`.
    static func decode<T: FlatJSONDecodable>(_ type: T.Type, from request: Request, context: APIContext) async throws -> T {
        guard let buffer = try await jsonBytes(of: request, context: context) else {
            throw HTTPProblem(.badRequest, "BAD_JSON", "The request needs a JSON body")
        }
        if let strings = FlatJSONObject.strings(in: buffer.readableBytesView) { return T(strings: strings) }
        return try decode(T.self, from: buffer)
    }

    /// The body, checked for size and media type; nil when empty.
    private static func jsonBytes(of request: Request, context: APIContext) async throws -> ByteBuffer? {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        if buffer.readableBytes == 0 { return nil }
        let mediaType = request.headers[.contentType]?.lowercased() ?? ""
        guard mediaType.hasPrefix("application/json") || mediaType.contains("+json") else {
            throw HTTPProblem(.unsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", "Send JSON with Content-Type: application/json")
        }
        return buffer
    }

    private static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    static func problem(for error: DecodingError) -> HTTPProblem {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return HTTPProblem(.badRequest, "BAD_JSON", "The body is not valid JSON")
        case .dataCorrupted(let context):
            return validation(field(context.codingPath), context.debugDescription)
        case .typeMismatch(let type, let context):
            let name = field(context.codingPath)
            return name.isEmpty
                ? HTTPProblem(.badRequest, "BAD_JSON", "The body must be a JSON object")
                : validation(name, "Expected \(describe(type)).")
        case .valueNotFound(let type, let context):
            return validation(field(context.codingPath), "Expected \(describe(type)), not null.")
        case .keyNotFound(let key, let context): return validation(field(context.codingPath + [key]), "This field is required.")
        @unknown default: return HTTPProblem(.badRequest, "BAD_JSON", "The body could not be read")
        }
    }

    private static func validation(_ field: String, _ message: String) -> HTTPProblem {
        HTTPProblem(.unprocessableContent, "VALIDATION", "Invalid fields", fields: [field.isEmpty ? "body" : field: message])
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: "another type"
        }
    }
}
