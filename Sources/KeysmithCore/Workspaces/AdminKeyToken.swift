/// An admin key's id: `ksa_<16 base62>`, or — for a key that held `keys:read`/`keys:write` before workspaces
/// existed and kept its id when it became an admin key — a project key id's shape (`ks_live_…`).
public struct AdminKeyID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    public static let prefix = "ksa"
    public static let randomLength = 16

    public init(unchecked value: String) { self.value = value }

    /// nil unless `text` has either shape.
    public init?(_ text: String) {
        guard Self.isNewShape(text) || (try? KeyID(text)) != nil else { return nil }
        value = text
    }

    public static func generate() -> AdminKeyID {
        AdminKeyID(unchecked: "\(prefix)_\(Base62.random(count: randomLength))")
    }

    /// `ksa_7Hq2…wX9a`: the id's first characters and the secret's last four, safe to store and show.
    public func hint(secret: String) -> String {
        let shown = Self.isNewShape(value) ? value.prefix(Self.prefix.count + 5) : value.prefix(12)
        return "\(shown)…\(secret.suffix(4))"
    }

    public var description: String { value }

    static func isNewShape(_ text: some StringProtocol) -> Bool {
        let utf8 = text.utf8
        return utf8.count == prefix.count + 1 + randomLength && text.hasPrefix(prefix + "_")
            && Base62.isDigits(utf8.dropFirst(prefix.count + 1))
    }

    public init(from decoder: any Decoder) throws {
        value = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// An admin key as presented or generated: `ksa_<16>_<32 base62><6 base62 CRC-32>`, checked without I/O like a
/// project key's token. Migrated admin keys present a project token's shape; `init(migrated:)` takes those.
/// Printing shows only the hint.
public struct AdminKeyToken: Hashable, Sendable {
    public let id: AdminKeyID
    public let secret: String

    /// Parses the new shape; anything else is `.malformed` and a wrong checksum `.badChecksum`.
    public init(_ token: String) throws(TokenError) {
        let idLength = AdminKeyID.prefix.count + 1 + AdminKeyID.randomLength
        let utf8 = Array(token.utf8)
        guard utf8.count == idLength + 1 + APIKeyToken.generatedSecretLength, utf8[idLength] == UInt8(ascii: "_"),
            AdminKeyID.isNewShape(String(decoding: utf8[..<idLength], as: UTF8.self))
        else { throw .malformed }
        let secret = utf8[(idLength + 1)...]
        guard Base62.isDigits(secret) else { throw .malformed }
        let randomEnd = idLength + 1 + APIKeyToken.generatedRandomLength
        guard Base62.decode(utf8[randomEnd...]) == UInt64(CRC32.checksum(utf8[..<randomEnd])) else { throw .badChecksum }
        id = AdminKeyID(unchecked: String(decoding: utf8[..<idLength], as: UTF8.self))
        self.secret = String(decoding: secret, as: UTF8.self)
    }

    /// A key that became an admin key in the workspaces migration keeps its project-key-shaped token.
    public init(migrated token: APIKeyToken) {
        id = AdminKeyID(unchecked: token.keyID.value)
        secret = token.secret
    }

    private init(id: AdminKeyID, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// A fresh key from the system CSPRNG.
    public static func generate() -> AdminKeyToken {
        let id = AdminKeyID.generate()
        let random = Base62.random(count: APIKeyToken.generatedRandomLength)
        let checksum = CRC32.checksum("\(id.value)_\(random)")
        return AdminKeyToken(id: id, secret: random + Base62.encode(checksum))
    }

    /// The whole token: show it once, never log it.
    public var value: String { "\(id.value)_\(secret)" }

    public var hint: String { id.hint(secret: secret) }

    /// Whether `text` starts like an admin token, so a gate can answer it as an unknown key without parsing more.
    public static func looksLikeAdminToken(_ text: String) -> Bool {
        let idLength = AdminKeyID.prefix.count + 1 + AdminKeyID.randomLength
        return text.utf8.count > idLength && AdminKeyID.isNewShape(text.prefix(idLength))
    }
}

extension AdminKeyToken: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { hint }
    public var debugDescription: String { "AdminKeyToken(\(hint))" }
    public var customMirror: Mirror { Mirror(self, children: ["id": id, "hint": hint]) }
}
