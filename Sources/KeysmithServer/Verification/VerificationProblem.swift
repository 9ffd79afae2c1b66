import Foundation
import HTTPTypes
import KeysmithCore

extension HTTPProblem {
    /// How a failed verification answers on key-guarded routes (whoami, forward auth, management with a key):
    /// 401 for anything that is not a usable key, 403 for IP or scope, 429 with `Retry-After` for limits.
    init(_ outcome: KeyVerifier.Outcome) {
        var headers = HTTPFields.rateLimit(outcome)
        switch outcome.code {
        case .ipNotAllowed: self.init(.forbidden, "IP_NOT_ALLOWED", "This key may not be used from this address")
        case .insufficientScope: self.init(.forbidden, "INSUFFICIENT_SCOPE", "This key lacks the scope this request needs")
        case .rateLimited, .usageExceeded:
            if let wait = outcome.retryAfter { headers[.retryAfter] = String(wait) }
            let message = outcome.code == .rateLimited ? "Rate limit exceeded" : "Usage quota exhausted"
            self.init(.tooManyRequests, outcome.code.rawValue, message, headers: headers)
        case .valid, .notFound, .pending, .disabled, .expired, .malformed: self = .invalidAPIKey()
        }
    }
}

extension HTTPFields {
    /// `X-RateLimit-Limit/Remaining/Reset` for a key with a rate limit; empty otherwise.
    static func rateLimit(_ outcome: KeyVerifier.Outcome) -> HTTPFields {
        guard let decision = outcome.rateLimit else { return [:] }
        return [
            .xRateLimitLimit: String(decision.limit),
            .xRateLimitRemaining: String(decision.remaining),
            .xRateLimitReset: String(Int(decision.reset.timeIntervalSince1970)),
        ]
    }
}
