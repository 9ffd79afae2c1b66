import SystemCrypto

/// HMAC-SHA-256 of a presented secret under a key made at start and never stored or logged (DESIGN §7.3): a
/// secret that once passed Argon2 is recognised again by its digest in a microsecond. The digest is useless
/// outside this process, and the secret itself is not kept.
struct SecretDigester: Sendable {
    private let key = HMACSHA256.randomKey()

    func digest(_ secret: String) -> SecretDigest {
        let code = key.authenticationCode(for: secret.utf8).words
        return SecretDigest(code.0, code.1, code.2, code.3)
    }
}

/// 32 bytes kept inline (no allocation per request), compared in constant time.
struct SecretDigest: Sendable, Hashable {
    private let words: (UInt64, UInt64, UInt64, UInt64)

    init(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
        words = (a, b, c, d)
    }

    /// Touches every byte whatever the first difference, so timing says nothing about how much matched.
    func matches(_ other: SecretDigest) -> Bool {
        let difference =
            (words.0 ^ other.words.0) | (words.1 ^ other.words.1) | (words.2 ^ other.words.2) | (words.3 ^ other.words.3)
        return difference == 0
    }

    static func == (lhs: SecretDigest, rhs: SecretDigest) -> Bool { lhs.matches(rhs) }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
