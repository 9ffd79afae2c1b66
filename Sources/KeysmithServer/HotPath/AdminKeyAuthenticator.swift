import Foundation
import KeysmithCore
import KeysmithStore
import Synchronization

/// Checks an admin key presented to the management API. The key is read from the store on every call, so a deleted
/// or narrowed key holds from the very next request; a secret already proven skips Argon2 (an HMAC digest, as
/// verification does, tied to the stored hash), and unproven ones pay the same failure budgets.
final class AdminKeyAuthenticator: Sendable {
    enum Refusal: Error {
        /// Unknown id, wrong secret, expired, or throttled: one answer for all.
        case invalid
        case ipNotAllowed
    }

    private let database: any AdminKeyStore
    private let hasher: PasswordHasher
    private let digester: SecretDigester
    private let throttle: VerificationThrottle
    private let clock: AppClock
    private let proven = Mutex(LRUCache<String, CachedKey.Proven>(capacity: 10_000))

    init(
        database: any AdminKeyStore, hasher: PasswordHasher, digester: SecretDigester, throttle: VerificationThrottle,
        clock: AppClock
    ) {
        self.database = database
        self.hasher = hasher
        self.digester = digester
        self.throttle = throttle
        self.clock = clock
    }

    func authenticate(_ token: AdminKeyToken, clientIP: String?) async throws -> AdminKey {
        guard let key = try await database.adminKey(id: token.id) else { throw Refusal.invalid }
        let digest = digester.digest(token.secret)
        let now = clock.now()
        let cached = proven.withLock { $0.peek(key.id.value) }
        if !(cached.map { $0.digest.matches(digest) && $0.hash == key.secret.hash } ?? false) {
            guard let reservation = throttle.reserve(keyID: key.id.value, clientIP: clientIP, now: now) else {
                throw Refusal.invalid
            }
            guard try await hasher.verify(token.secret, encoded: key.secret.hash) else { throw Refusal.invalid }
            throttle.giveBack(reservation)
            proven.withLock { _ = $0.setValue(CachedKey.Proven(digest: digest, hash: key.secret.hash), forKey: key.id.value) }
        }
        guard !key.isExpired(at: now) else { throw Refusal.invalid }
        guard key.admits(clientIP: clientIP, now: now) else { throw Refusal.ipNotAllowed }
        // The last use, to the minute: a management call is not worth a write each.
        if key.lastUsedAt.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            try? await database.recordAdminKeyUse(id: key.id, at: now, ip: clientIP)
        }
        return key
    }
}
