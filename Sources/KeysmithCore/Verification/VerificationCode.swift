/// The outcome of checking a presented key (DESIGN §6); the raw value is the API's `code`.
public enum VerificationCode: String, Codable, Sendable, CaseIterable {
    case valid = "VALID"
    case notFound = "NOT_FOUND"
    case pending = "PENDING"
    case disabled = "DISABLED"
    case expired = "EXPIRED"
    case ipNotAllowed = "IP_NOT_ALLOWED"
    case rateLimited = "RATE_LIMITED"
    case usageExceeded = "USAGE_EXCEEDED"
    case insufficientScope = "INSUFFICIENT_SCOPE"
    case malformed = "MALFORMED"
}
