/// Why a key id, token, secret or key prefix was refused; no case ever carries the secret itself.
public enum TokenError: Error, Equatable, Sendable {
    /// Not the shape of a key id, token or secret.
    case malformed
    /// Two different credentials in one request (`x-api-key` and `Authorization: Bearer`).
    case ambiguous
    /// Generated shape, but the CRC-32 does not match: a typo or a forgery, refused without any I/O.
    case badChecksum
    case customSecretTooShort
    case customSecretTooLong
    case customSecretInvalidCharacters
    /// Exactly 38 base62 digits would be read as a generated secret and checksum-checked.
    case customSecretLooksGenerated
}

extension TokenError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .malformed: "Malformed API key."
        case .ambiguous: "Two different API keys were presented; send one."
        case .badChecksum: "API key checksum does not match."
        case .customSecretTooShort: "Use at least \(APIKeyToken.customSecretLength.lowerBound) characters."
        case .customSecretTooLong: "Use at most \(APIKeyToken.customSecretLength.upperBound) characters."
        case .customSecretInvalidCharacters: "Use printable ASCII characters only, without spaces."
        case .customSecretLooksGenerated:
            "A custom secret cannot be exactly 38 letters and digits (the generated format); add a symbol or change its length."
        }
    }
}
