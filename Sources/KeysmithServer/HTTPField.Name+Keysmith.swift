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
    /// How management calls choose their workspace and project (seed 004 says `x-entity-id`).
    static let xWorkspaceID = known("x-workspace-id")
    static let xProjectID = known("x-project-id")
    static let xEntityID = known("x-entity-id")
    /// The identity `/auth` tells the upstream; no key's own headers may set these (DESIGN §8).
    static let keysmithKeyID = known("X-Keysmith-Key-Id")
    static let keysmithProjectID = known("X-Keysmith-Project-Id")
    static let keysmithWorkspaceID = known("X-Keysmith-Workspace-Id")

    /// For the literal names above, which are valid tokens; a typo fails the first test run, not a user's request.
    private static func known(_ name: String) -> Self {
        guard let field = Self(name) else { preconditionFailure("invalid HTTP field name: \(name)") }
        return field
    }
}
