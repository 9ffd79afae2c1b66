import Foundation
import SystemCrypto

/// 256-bit random values for session cookies and CSRF tokens, and the hash under which a session is stored.
enum RandomToken {
    /// 32 bytes from the system CSPRNG, base64url without padding (43 characters, cookie-safe).
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64URLEncodedString()
    }

    /// SHA-256 hex of a token: what the database keeps instead of the token.
    static func hash(_ token: String) -> String {
        SHA256.hash(token.utf8).hex
    }

    /// Compares two secrets in time that depends only on their lengths, not on where they first differ.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
