/// The public id of a workspace object: a fixed prefix, `_`, and 16 base62 digits from the system CSPRNG
/// (`ws_…`, `prj_…`, `inv_…`). Parsing checks the shape only; whether the object exists is the store's question.
public protocol PublicID: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    static var prefix: String { get }
    var value: String { get }
    init(unchecked value: String)
}

extension PublicID {
    public static var randomLength: Int { 16 }

    /// nil unless `text` is `<prefix>_<16 base62>`.
    public init?(_ text: String) {
        let head = Self.prefix + "_"
        guard text.utf8.count == head.utf8.count + Self.randomLength, text.hasPrefix(head),
            Base62.isDigits(text.utf8.dropFirst(head.utf8.count))
        else { return nil }
        self.init(unchecked: text)
    }

    public static func generate() -> Self {
        var generator = SystemRandomNumberGenerator()
        return generate(using: &generator)
    }

    public static func generate(using generator: inout some RandomNumberGenerator) -> Self {
        Self(unchecked: "\(prefix)_\(Base62.random(count: randomLength, using: &generator))")
    }

    public var description: String { value }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = Self(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a \(Self.prefix)_ id")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// A workspace: the tenant that members, projects, admin keys and the audit log belong to.
public struct WorkspaceID: PublicID {
    public static let prefix = "ws"
    public let value: String
    public init(unchecked value: String) { self.value = value }
}

/// A project (seed 004's "entity"): a keyspace inside a workspace with its own key prefix and gates.
public struct ProjectID: PublicID {
    public static let prefix = "prj"
    public let value: String
    public init(unchecked value: String) { self.value = value }
}

/// A pending invitation; its one-time token is a separate secret, stored only as a hash.
public struct InviteID: PublicID {
    public static let prefix = "inv"
    public let value: String
    public init(unchecked value: String) { self.value = value }
}
