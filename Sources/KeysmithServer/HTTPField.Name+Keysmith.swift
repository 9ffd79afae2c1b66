import HTTPTypes

extension HTTPField.Name {
    static let xFrameOptions = known("X-Frame-Options")
    static let referrerPolicy = known("Referrer-Policy")
    static let xCSRFToken = known("X-CSRF-Token")
    static let xForwardedFor = known("X-Forwarded-For")
    static let xAPIKey = known("x-api-key")
    static let xAPISecret = known("x-api-secret")
    static let xRateLimitLimit = known("X-RateLimit-Limit")
    static let xRateLimitRemaining = known("X-RateLimit-Remaining")
    static let xRateLimitReset = known("X-RateLimit-Reset")

    /// For the literal names above, which are valid tokens; a typo fails the first test run, not a user's request.
    private static func known(_ name: String) -> Self {
        guard let field = Self(name) else { preconditionFailure("invalid HTTP field name: \(name)") }
        return field
    }
}
