/// A new secret for a key, already hashed: the plaintext never reaches the store.
public struct KeySecretUpdate: Sendable {
    public var secretHash: String
    public var hint: String

    public init(secretHash: String, hint: String) {
        self.secretHash = secretHash
        self.hint = hint
    }
}
