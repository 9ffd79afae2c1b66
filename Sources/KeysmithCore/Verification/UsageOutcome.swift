/// How a request that presented a key's own secret ended, as the usage chart stacks it. Requests with an unknown key
/// or a wrong secret are not counted: anyone can send those, and they would say nothing about the key's own clients.
public enum UsageOutcome: String, CaseIterable, Sendable {
    /// Let through.
    case valid
    /// Refused by the key's own rules: disabled, expired, address not allowed, scope missing, quota used up.
    case refused
    /// Refused by the key's rate limit (429).
    case rateLimited

    /// The outcome of a verification answered with `code`; nil when the answer does not count as the key's use.
    public init?(_ code: VerificationCode) {
        switch code {
        case .valid: self = .valid
        case .rateLimited: self = .rateLimited
        case .disabled, .expired, .insufficientScope, .ipNotAllowed, .usageExceeded: self = .refused
        case .notFound, .pending, .malformed: return nil
        }
    }
}
