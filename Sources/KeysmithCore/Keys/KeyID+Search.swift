extension KeyID {
    /// The key a pasted credential names — a whole token (generated or custom secret, even one whose checksum a typo
    /// broke), the same after `Bearer `, or a bare key id — so a leaked token finds its key in the list.
    ///
    /// Nil for anything else, which is then searched as text. The secret is never checked or kept: finding the key is
    /// the point, and a key id is not secret.
    public init?(searching text: String) {
        var text = text.trimmingWhitespace()
        if text.lowercased().hasPrefix("bearer ") {
            text = String(text.dropFirst("bearer ".count)).trimmingWhitespace()
        }
        if let keyID = try? KeyID(text) {
            self = keyID
            return
        }
        do {
            self = try APIKeyToken(text).keyID
        } catch .badChecksum {
            // Only a generated-shaped secret after a well-formed key id fails this way: cut the secret off.
            guard let keyID = try? KeyID(String(text.dropLast(APIKeyToken.generatedSecretLength + 1))) else { return nil }
            self = keyID
        } catch {
            return nil
        }
    }
}
