import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body as ordered name/value pairs, so repeated fields
/// (checkbox groups, header rows) keep their order — which a `Decodable` form cannot express.
struct FormFields: Sendable {
    private let pairs: [(name: String, value: String)]

    init(_ body: String) {
        pairs = body.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// The query string read the way a browser's GET form writes it (`+` is a space), unlike `uri.queryParameters`.
    static func query(of request: Request) -> FormFields {
        FormFields(request.uri.query ?? "")
    }

    static func read(_ request: Request, context: some RequestContext) async throws -> FormFields {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        return FormFields(String(buffer: body))
    }

    /// The first value of `name`, or nil when the field was not sent.
    subscript(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Same as the subscript, in `URI.QueryParameters`' spelling, so either reads the same at the call site.
    func get(_ name: String) -> String? { self[name] }

    /// Every value of `name`, in the order the browser sent them.
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// Fields whose name starts with `prefix` (such as `scope.orders`), as (rest of the name, value), in order.
    func all(prefixed prefix: String) -> [(name: String, value: String)] {
        pairs.filter { $0.name.hasPrefix(prefix) }.map { (String($0.name.dropFirst(prefix.count)), $0.value) }
    }

    /// A checkbox: sent means on.
    func isOn(_ name: String) -> Bool { self[name] != nil }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
