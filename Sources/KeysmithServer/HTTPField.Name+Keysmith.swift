import HTTPTypes

extension HTTPField.Name {
    static let xFrameOptions = known("X-Frame-Options")
    static let referrerPolicy = known("Referrer-Policy")
    static let xCSRFToken = known("X-CSRF-Token")

    /// For the literal names above, which are valid tokens; a typo fails the first test run, not a user's request.
    private static func known(_ name: String) -> Self {
        guard let field = Self(name) else { preconditionFailure("invalid HTTP field name: \(name)") }
        return field
    }
}
