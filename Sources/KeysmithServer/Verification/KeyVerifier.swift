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
        /// The key, once its secret matched; nil for `notFound` and `pending`.
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
        // A pending generated key has no secret to check: it answers like an unknown id, so ids reveal nothing.
        guard let key = try await database.key(id: token.keyID.value), let secretHash = key.secretHash else {
            return Outcome(code: .notFound, key: nil)
        }
        let now = clock.now()
        // A generated key only ever has a checksummed secret: anything else cannot match, so skip Argon2.
        if key.tokenType == .generated && token.secretKind != .generated { return Outcome(code: .notFound, key: nil) }
        guard let matchedHash = await matchedHash(token.secret, current: secretHash, key: key, now: now) else {
            return Outcome(code: .notFound, key: nil)
        }
        let policy = KeyAccessPolicy(
            status: key.status, expiresAt: key.expiresAt, ipAllowlist: key.ipAllowlist, scopes: key.scopes)
        let code = policy.evaluate(clientIP: clientIP.flatMap(IPAddress.init), requiredScope: requiredScope, now: now)
        if code == .pending { return Outcome(code: .pending, key: nil) }
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
        switch try await database.recordKeyUse(id: key.id, matchedHash: matchedHash, ip: clientIP, now: now) {
        case .unlimited: break
        case .remaining(let left): outcome.quotaRemaining = left
        case .exhausted(let refillsAt):
            // A refused request does not use up the rate limit either.
            let decision = key.rateLimit.map { limiter.refund(keyID: key.id, limit: $0, now: now) } ?? nil
            let wait = refillsAt.map { max(1, Int($0.timeIntervalSince(now).rounded(FloatingPointRoundingRule.up))) }
            return Outcome(code: .usageExceeded, key: key, rateLimit: decision, quotaRemaining: 0, retryAfter: wait)
        case .revoked:
            if let rateLimit = key.rateLimit { _ = limiter.refund(keyID: key.id, limit: rateLimit, now: now) }
            return Outcome(code: .notFound, key: nil)
        }
        if matchedHash == secretHash, hasher.needsRehash(secretHash) {
            // DESIGN §4: raised Argon2 parameters reach stored secrets at their next successful use.
            try await database.upgradeSecretHash(id: key.id, from: secretHash, to: try await hasher.hash(token.secret))
        }
        outcome.headers = renderHeaders(of: key, outcome: outcome, clientIP: clientIP)
        return outcome
    }

    /// The stored hash the secret matches: the current one, or the previous one while its grace period lasts.
    private func matchedHash(_ secret: String, current: String, key: APIKeyRecord, now: Date) async -> String? {
        if await hasher.verify(secret, encoded: current) { return current }
        guard let previous = key.previousSecretHash, let until = key.previousSecretExpiresAt, now < until else { return nil }
        return await hasher.verify(secret, encoded: previous) ? previous : nil
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
