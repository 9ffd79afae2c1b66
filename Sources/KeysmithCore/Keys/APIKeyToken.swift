/// A key id plus its secret, as presented or as generated; parsing proves shape (and checksum) without any I/O.
///
/// A generated secret is `<32 base62><6 base62 CRC-32 of "<key id>_<32>">`. Anything else of 24–256 printable
/// ASCII characters parses as `custom`; a verifier must refuse `custom` for a key whose `TokenType` is `generated`.
/// Printing a token shows only its hint, so it cannot leak through logs or string interpolation.
public struct APIKeyToken: Hashable, Sendable {
    public let keyID: KeyID
    public let secret: String
    public let secretKind: SecretKind

    public static let generatedRandomLength = 32
    public static let checksumLength = 6
    public static let generatedSecretLength = generatedRandomLength + checksumLength
    public static let customSecretLength = 24...256

    /// Parses `<key id>_<secret>`.
    public init(_ token: String) throws(TokenError) {
        var token = token
        let parsed = token.withUTF8 { bytes -> Result<(KeyID, String, SecretKind), TokenError> in
            guard let (length, environment) = KeyID.scan(bytes), length < bytes.count,
                bytes[length] == UInt8(ascii: "_")
            else { return .failure(.malformed) }
            let secret = UnsafeBufferPointer(rebasing: bytes[(length + 1)...])
            var seed = CRC32()
            seed.update(UnsafeBufferPointer(rebasing: bytes[...length]))
            return Self.classify(secret, seed: seed).map { kind in
                let keyID = KeyID(
                    unchecked: String(decoding: UnsafeBufferPointer(rebasing: bytes[..<length]), as: UTF8.self),
                    environment: environment
                )
                return (keyID, String(decoding: secret, as: UTF8.self), kind)
            }
        }
        (keyID, secret, secretKind) = try parsed.get()
    }

    /// Parses the two-header form (`x-api-key: <key id>` + `x-api-secret: <secret>`).
    public init(keyID: String, secret: String) throws(TokenError) {
        try self.init(keyID: KeyID(keyID), secret: secret)
    }

    public init(keyID: KeyID, secret: String) throws(TokenError) {
        var secret = secret
        let kind = secret.withUTF8 { bytes in Self.classify(bytes, seed: Self.seed(keyID)) }
        self.init(keyID: keyID, secret: secret, secretKind: try kind.get())
    }

    /// A custom secret chosen by the user, validated as at creation.
    public init(keyID: KeyID, customSecret: String) throws(TokenError) {
        try Self.validateCustomSecret(customSecret)
        self.init(keyID: keyID, secret: customSecret, secretKind: .custom)
    }

    private init(keyID: KeyID, secret: String, secretKind: SecretKind) {
        self.keyID = keyID
        self.secret = secret
        self.secretKind = secretKind
    }

    /// A new generated secret for `keyID` (activation and rotation), from the system CSPRNG.
    public static func generate(for keyID: KeyID) -> APIKeyToken {
        var generator = SystemRandomNumberGenerator()
        return generate(for: keyID, using: &generator)
    }

    public static func generate(for keyID: KeyID, using generator: inout some RandomNumberGenerator) -> APIKeyToken {
        let random = Base62.random(count: generatedRandomLength, using: &generator)
        var crc = seed(keyID)
        crc.update(random.utf8)
        return APIKeyToken(keyID: keyID, secret: random + Base62.encode(crc.value), secretKind: .generated)
    }

    /// Checks a user-supplied secret: 24–256 printable ASCII (0x21–0x7E), and not the generated shape.
    public static func validateCustomSecret(_ secret: String) throws(TokenError) {
        let utf8 = secret.utf8
        guard utf8.allSatisfy(isPrintable) else { throw .customSecretInvalidCharacters }
        guard utf8.count >= customSecretLength.lowerBound else { throw .customSecretTooShort }
        guard utf8.count <= customSecretLength.upperBound else { throw .customSecretTooLong }
        guard !hasGeneratedShape(utf8) else { throw .customSecretLooksGenerated }
    }

    /// The full token, `<key id>_<secret>`: show it once, never log it.
    public var value: String { "\(keyID.value)_\(secret)" }

    /// DESIGN §10: first 12 characters of the key id, `…`, last 4 of the secret.
    public var hint: String { keyID.hint(secret: secret) }

    private static func seed(_ keyID: KeyID) -> CRC32 {
        var crc = CRC32()
        crc.update(keyID.value.utf8)
        crc.update(CollectionOfOne(UInt8(ascii: "_")))
        return crc
    }

    /// `seed` is the CRC-32 state after `"<key id>_"`.
    private static func classify(_ secret: UnsafeBufferPointer<UInt8>, seed: CRC32) -> Result<SecretKind, TokenError> {
        if hasGeneratedShape(secret) {
            var crc = seed
            crc.update(UnsafeBufferPointer(rebasing: secret[..<generatedRandomLength]))
            let checksum = Base62.decode(secret[generatedRandomLength...])
            return checksum == UInt64(crc.value) ? .success(.generated) : .failure(.badChecksum)
        }
        guard customSecretLength.contains(secret.count), secret.allSatisfy(isPrintable) else {
            return .failure(.malformed)
        }
        return .success(.custom)
    }

    private static func hasGeneratedShape(_ secret: some Collection<UInt8>) -> Bool {
        secret.count == generatedSecretLength && Base62.isDigits(secret)
    }

    private static func isPrintable(_ byte: UInt8) -> Bool { byte >= 0x21 && byte <= 0x7E }
}

extension APIKeyToken: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { hint }
    public var debugDescription: String { "APIKeyToken(\(hint))" }
    public var customMirror: Mirror { Mirror(self, children: ["keyID": keyID, "hint": hint]) }
}
