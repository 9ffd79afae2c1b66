extension KeyID {
    /// DESIGN §10: the first 12 characters of the key id, `…`, the last 4 of the secret; safe to store and show.
    public func hint(secret: String) -> String {
        "\(value.prefix(12))…\(secret.suffix(4))"
    }
}
