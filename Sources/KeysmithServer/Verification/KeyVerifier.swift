import Foundation
import KeysmithCore
import KeysmithStore

/// Checks a presented key and counts the use: the stored key, the secret (current or, during a rotation's grace,
/// previous), the access policy, the rate limit, then the quota. Token shape and checksum were checked before any
/// of this (`APIKeyToken` refuses a malformed token without I/O).
///
/// DESIGN §7's caches, bounded hashing and write-behind usage build on this; the answers stay the same.
struct KeyVerifier: Sendable {
    struct Outcome: Sendable {
        let code: VerificationCode
        /// The key, once its secret matched; nil for `notFound` (and `pending`, which has no secret yet).
        let key: APIKeyRecord?
        var rateLimit: FixedWindowCounter.Decision?
        var quotaRemaining: Int?
        /// Seconds to wait, for `rateLimited` and for a monthly quota that refills.
        var retryAfter: Int?
        /// The key's response headers with placeholders filled; excluded ones are left out. Only when valid.
        var headers: [(name: String, value: String)] = []

        var isValid: Bool { code == .valid }
    }

    let database: AppDatabase
    let hasher: PasswordHasher
    let limiter: RateLimiter
    let clock: AppClock

    func verify(_ token: APIKeyToken, requiredScope: Scope? = nil, clientIP: String? = nil) async throws -> Outcome {
        guard let key = try await database.key(id: token.keyID.value) else { return Outcome(code: .notFound, key: nil) }
        let now = clock.now()
        guard let secretHash = key.secretHash else { return Outcome(code: .pending, key: nil) }
        // A generated key only ever has a checksummed secret: anything else cannot match, so skip Argon2.
        if key.tokenType == .generated && token.secretKind != .generated { return Outcome(code: .notFound, key: nil) }
        guard await secretMatches(token.secret, current: secretHash, key: key, now: now) else {
            return Outcome(code: .notFound, key: nil)
        }
        let policy = KeyAccessPolicy(
            status: key.status, expiresAt: key.expiresAt, ipAllowlist: key.ipAllowlist, scopes: key.scopes)
        let code = policy.evaluate(clientIP: clientIP.flatMap(IPAddress.init), requiredScope: requiredScope, now: now)
        guard code == .valid else { return Outcome(code: code, key: key, quotaRemaining: key.quotaRemaining) }

        var outcome = Outcome(code: .valid, key: key)
        if let rateLimit = key.rateLimit {
            let decision = limiter.admit(keyID: key.id, limit: rateLimit, now: now)
            outcome.rateLimit = decision
            guard decision.allowed else {
                return Outcome(
                    code: .rateLimited, key: key, rateLimit: decision, quotaRemaining: key.quotaRemaining,
                    retryAfter: decision.retryAfter(now: now)
                )
            }
        }
        switch try await database.recordKeyUse(id: key.id, ip: clientIP, now: now) {
        case .unlimited: break
        case .remaining(let left): outcome.quotaRemaining = left
        case .exhausted(let refillsAt):
            let wait = refillsAt.map { max(1, Int($0.timeIntervalSince(now).rounded(.up))) }
            return Outcome(code: .usageExceeded, key: key, rateLimit: outcome.rateLimit, quotaRemaining: 0, retryAfter: wait)
        }
        outcome.headers = renderHeaders(of: key, outcome: outcome, clientIP: clientIP)
        return outcome
    }

    private func secretMatches(_ secret: String, current: String, key: APIKeyRecord, now: Date) async -> Bool {
        if await hasher.verify(secret, encoded: current) { return true }
        guard let previous = key.previousSecretHash, let until = key.previousSecretExpiresAt, now < until else { return false }
        return await hasher.verify(secret, encoded: previous)
    }

    private func renderHeaders(of key: APIKeyRecord, outcome: Outcome, clientIP: String?) -> [(name: String, value: String)] {
        guard !key.responseHeaders.isEmpty, let keyID = try? KeyID(key.id) else { return [] }
        let values = ResponseHeaderValues(
            keyID: keyID, keyName: key.name, environment: key.environment, accountID: String(key.accountId), scopes: key.scopes,
            rateLimitRemaining: outcome.rateLimit?.remaining, quotaRemaining: outcome.quotaRemaining, requestIP: clientIP ?? ""
        )
        return key.responseHeaders.filter { !$0.exclude }.map { ($0.name, $0.render(values)) }
    }
}
