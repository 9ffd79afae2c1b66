import CoreMetrics
import Foundation
import KeysmithCore
import KeysmithStore

/// DESIGN §7's hot path, after the token's shape and checksum (`APIKeyToken`, no I/O): the key from memory, the
/// secret by its digest (Argon2 only for a secret not proven yet, throttled and on the bounded pool), the access
/// policy, the rate limit and quota in memory, and the use counted for a later batch write.
struct KeyVerifier: Sendable {
    struct Outcome: Sendable {
        let code: VerificationCode
        /// The key once its secret matched; nil for `notFound` and `pending`. When valid, `lastUsedAt` is the use
        /// before this one.
        let key: APIKey?
        var rateLimit: FixedWindowCounter.Decision?
        var quotaRemaining: Int?
        /// Seconds to wait, for `rateLimited` and for a monthly quota that refills.
        var retryAfter: Int?
        /// The key's response headers with placeholders filled; excluded ones are left out. Only when valid.
        var headers: [(name: String, value: String)] = []

        var isValid: Bool { code == .valid }

        static let notFound = Outcome(code: .notFound, key: nil)
    }

    let database: any KeyStore
    let cache: KeyCache
    let hasher: PasswordHasher
    let digester: SecretDigester
    let loads: SingleFlight<KeyLoad, APIKey?>
    let proofs: SingleFlight<ProofAttempt, String?>
    let throttle: VerificationThrottle
    let limiter: RateLimiter
    let ledger: QuotaLedger
    let usage: UsageRecorder
    let writer: KeyWriter
    let metrics: AppMetrics
    let clock: AppClock
    /// How long a throttled attempt waits for its answer: about one Argon2 run, so it is as slow as a wrong secret
    /// that was hashed (the answer time tells nothing) and a flooding connection gets that few answers a second.
    let throttledAnswerDelay: Duration

    /// A key presented by the client at `clientIP` (whoami, forward auth). With `project`, a key of any other
    /// project is `notFound`: a gate accepts only its own keys (DESIGN §11).
    func verify(
        _ token: APIKeyToken, project: ProjectID? = nil, requiredScope: Scope? = nil, clientIP: String? = nil,
        gate: UsageGate = .whoami
    ) async throws -> Outcome {
        try await verify(
            token, project: project, requiredScope: requiredScope, clientIP: clientIP, caller: clientIP, gate: gate)
    }

    /// A key checked on behalf of another party (`POST /keys/verify`): the policy checks `clientIP`, the address the
    /// backend says its client has, while the failure budget is paid by `caller`, the connection's own client, which
    /// must not choose whose budget its guesses spend.
    func verify(
        _ token: APIKeyToken, project: ProjectID?, requiredScope: Scope?, clientIP: String?, caller: String?,
        gate: UsageGate = .verify
    ) async throws -> Outcome {
        let outcome = try await check(token, project: project, requiredScope: requiredScope, clientIP: clientIP, caller: caller)
        metrics.verified(outcome.code)
        // The key's own secret was presented (valid, or refused by the key's rules): counted for its usage page, as
        // the valid use already is, by the write-behind.
        if let key = outcome.key, let counted = UsageOutcome(outcome.code) {
            usage.record(
                keyID: key.id.value, at: clock.now(), ip: clientIP, outcome: counted, gate: gate, scope: requiredScope)
        }
        return outcome
    }

    /// An admin key presented at a gate: answered as an unknown key, counted like one.
    func refuseAdminKey() -> Outcome {
        metrics.verified(.notFound)
        return .notFound
    }

    private func check(_ token: APIKeyToken, project: ProjectID?, requiredScope: Scope?, clientIP: String?, caller: String?)
        async throws -> Outcome
    {
        let id = token.keyID.value
        guard var cached = try await cachedKey(id) else { return .notFound }
        // Another project's key is unknown here, before any hashing: a gate is no oracle for other projects' secrets.
        if let project, cached.key.projectID != project { return .notFound }
        // A pending generated key has no secret yet, and a generated key only ever has a checksummed one: both answer
        // like an unknown id, without hashing.
        guard cached.key.secrets.current != nil, cached.key.tokenType == .custom || token.secretKind == .generated else {
            return .notFound
        }
        let digest = digester.digest(token.secret)
        var now = clock.now()
        if cached.provenHash(for: digest, at: now) != nil {
            metrics.provenSecretHits.increment()
        } else {
            let (key, checkedAt) = (cached.key, now)
            let proof = try await proofs.run(ProofAttempt(keyID: id, digest: digest)) { [self] in
                // A proof of this very secret may have ended between the look-up above and now.
                if let hash = cache.peek(id)?.provenHash(for: digest, at: checkedAt) { return hash }
                return try await prove(token, digest: digest, key: key, caller: caller, now: checkedAt)
            }
            guard let matched = proof else { return .notFound }
            // Whatever changed while Argon2 ran wins: after a rotate-now or a delete meanwhile this secret fails.
            now = clock.now()
            var fresh = cache.peekBelieved(id)
            if fresh == nil { fresh = try await cachedKey(id) }  // evicted, deleted or stale meanwhile: ask again
            guard let fresh, fresh.key.secrets.accepts(hash: matched, at: now) else { return .notFound }
            cached = fresh
            await upgradeIfOutdated(matched, secret: token.secret, digest: digest, key: cached.key)
        }
        return try await admit(cached.key, requiredScope: requiredScope, clientIP: clientIP, now: now)
    }

    /// Step 2: the key from memory, else from the store (kept for next time); nil when there is no such key.
    private func cachedKey(_ id: String) async throws -> CachedKey? {
        switch cache.lookup(id) {
        case .cached(let cached):
            return cached
        case .absent:
            return nil
        case .unknown(let generation):
            // Only loads begun at this generation are shared: one begun before a change might return the key
            // as it was, and this request may have been sent after that change was answered.
            let key = try await loads.run(KeyLoad(keyID: id, generation: generation)) { [cache, database, metrics] in
                // A load of this very key may have ended, and filled the cache, between the look-up and now.
                if let cached = cache.peekBelieved(id) { return cached.key }
                metrics.keyStoreReads.increment()
                return try await database.key(id: id)
            }
            cache.fill(id, with: key, loadedAt: generation)
            // What the store just said, unless the cache holds a believed copy (with its proofs).
            return cache.peekBelieved(id) ?? key.map { CachedKey($0) }
        }
    }

    /// Steps 3–4: one Argon2 run for a secret not proven yet, if the key id's and the client's failure budgets allow
    /// it. Returns the stored hash it matched, and remembers it as proven.
    private func prove(_ token: APIKeyToken, digest: SecretDigest, key: APIKey, caller: String?, now: Date) async throws
        -> String?
    {
        guard let reservation = throttle.reserve(keyID: key.id.value, clientIP: caller, now: now) else {
            metrics.verificationThrottled.increment()
            if throttledAnswerDelay > .zero { try? await Task.sleep(for: throttledAnswerDelay) }
            return nil
        }
        let matched: String?
        do {
            matched = try await hasher.firstMatch(token.secret, among: key.secrets.candidateHashes(for: token.secret, at: now))
        } catch {
            throttle.giveBack(reservation)  // never hashed: the attempt does not count
            throw error
        }
        guard let matched else { return nil }
        throttle.giveBack(reservation)
        cache.prove(key.id.value, digest: digest, hash: matched)
        return matched
    }

    /// DESIGN §4: raised Argon2 parameters reach a stored secret at its next successful use. Best effort: the
    /// verification has succeeded whatever happens here.
    private func upgradeIfOutdated(_ hash: String, secret: String, digest: SecretDigest, key: APIKey) async {
        guard key.secrets.current?.hash == hash, hasher.needsRehash(hash), let new = try? await hasher.hash(secret) else {
            return
        }
        guard (try? await writer.upgradeSecretHash(of: key.id, from: hash, to: new)) != nil else { return }
        cache.prove(key.id.value, digest: digest, hash: new)
    }

    /// Steps 5–7: policy, rate limit and quota; `verify` counts the use for the write-behind.
    private func admit(_ key: APIKey, requiredScope: Scope?, clientIP: String?, now: Date) async throws -> Outcome {
        let id = key.id.value
        let code = key.accessPolicy.evaluate(clientIP: clientIP.flatMap(IPAddress.init), requiredScope: requiredScope, now: now)
        if code == .pending { return Outcome(code: .pending, key: nil) }
        guard code == .valid else { return Outcome(code: code, key: key, quotaRemaining: quotaRemaining(of: key, now: now)) }

        var decision: FixedWindowCounter.Decision?
        if let rateLimit = key.rateLimit {
            decision = try await limiter.admit(keyID: id, limit: rateLimit, now: now)
            if let decision, !decision.allowed {
                return Outcome(
                    code: .rateLimited, key: key, rateLimit: decision, quotaRemaining: quotaRemaining(of: key, now: now),
                    retryAfter: decision.retryAfter(now: now)
                )
            }
        }
        var remaining: Int?
        if key.quota != nil {
            switch try await ledger.spend(id, now: now) {
            case .spent(let left):
                remaining = left
            case .exhausted(let refillsAt):
                // A refused request does not use up the rate limit either.
                let refunded = key.rateLimit.flatMap { limiter.refund(keyID: id, limit: $0, now: now) }
                let wait = refillsAt.map { max(1, Int($0.timeIntervalSince(now).rounded(.up))) }
                return Outcome(code: .usageExceeded, key: key, rateLimit: refunded, quotaRemaining: 0, retryAfter: wait)
            case nil:
                break  // the quota was removed a moment ago
            }
        }
        var used = key
        if let previous = cache.recordUse(id, at: now, ip: clientIP) {
            (used.lastUsedAt, used.lastUsedIP) = (previous.at, previous.ip)
        }
        return Outcome(
            code: .valid, key: used, rateLimit: decision, quotaRemaining: remaining,
            headers: renderHeaders(of: key, rateLimit: decision, quotaRemaining: remaining, clientIP: clientIP)
        )
    }

    /// What is left of a cached key's quota: as this node's lease last saw it, else the balance as it was loaded
    /// (no lease taken since, so the store still holds that much).
    private func quotaRemaining(of key: APIKey, now: Date) -> Int? {
        guard let quota = key.quota, let balance = key.quotaBalance else { return nil }
        return ledger.leaseRemaining(key.id.value) ?? balance.refilled(for: quota, now: now).remaining
    }

    private func renderHeaders(
        of key: APIKey, rateLimit: FixedWindowCounter.Decision?, quotaRemaining: Int?, clientIP: String?
    ) -> [(name: String, value: String)] {
        guard !key.responseHeaders.isEmpty else { return [] }
        let values = ResponseHeaderValues(
            keyID: key.id, keyName: key.name, environment: key.environment, workspaceID: key.workspaceID,
            projectID: key.projectID, scopes: key.scopes, rateLimitRemaining: rateLimit?.remaining,
            quotaRemaining: quotaRemaining, requestIP: clientIP ?? ""
        )
        return key.responseHeaders.filter(\.isSendable).compactMap { header in header.render(values).map { (header.name, $0) } }
    }
}
