/// A permission, `resource:action` (action may be `*`) or `*` for everything; lowercase, so comparisons are exact.
public struct Scope: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let value: String

    public static let all = Scope(unchecked: "*")

    public static let maxLength = 100

    private init(unchecked value: String) { self.value = value }

    /// How a scope is written, said once however many scopes break it.
    public static let syntaxRule =
        "use resource:action with lowercase letters, digits, -, _ or . (such as orders:read or orders:*), or * for everything."

    /// Parts are 1+ of `a-z 0-9 - _ .`; surrounding whitespace is ignored.
    public static func parse(_ text: String) -> Result<Scope, FieldMessage> {
        let scope = text.trimmingWhitespace()
        guard scope != "*" else { return .success(.all) }
        let parts = scope.utf8.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        guard scope.utf8.count <= maxLength, parts.count == 2, isName(parts[0]),
            isName(parts[1]) || parts[1].elementsEqual("*".utf8)
        else {
            return .failure(FieldMessage("“\(scope)” is not a scope; \(syntaxRule)"))
        }
        return .success(Scope(unchecked: scope))
    }

    /// `*` grants everything, `orders:*` any `orders:` scope, otherwise only the same scope.
    public func grants(_ required: Scope) -> Bool {
        if self == .all || self == required { return true }
        guard value.hasSuffix(":*"), required != .all else { return false }
        return required.value.hasPrefix(value.dropLast())
    }

    public var description: String { value }

    public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.value < rhs.value }

    private static func isName(_ part: Substring.UTF8View.SubSequence) -> Bool {
        !part.isEmpty
            && part.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                    true
                default: false
                }
            }
    }
}

extension Scope: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        switch Self.parse(try container.decode(String.self)) {
        case .success(let scope): self = scope
        case .failure(let message): throw DecodingError.dataCorruptedError(in: container, debugDescription: message.text)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
