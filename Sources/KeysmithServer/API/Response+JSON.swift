import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// An API answer: JSON, never cached (it may describe keys), with any extra headers such as rate limits.
    static func json(
        _ body: some Encodable, encoder: JSONEncoder, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]
    ) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
    }

    /// An API answer written with `JSONWriter` (the hot path's answers).
    static func json(_ body: some JSONWritable, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
        var json = JSONWriter()
        body.write(to: &json)
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        headers.append(contentsOf: extra)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }
}
