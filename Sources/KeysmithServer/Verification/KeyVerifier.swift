import Foundation
import KeysmithCore
import KeysmithStore

/// Checks a presented key: shape and checksum first (no I/O), then the stored key, the secret (current or, during
/// a rotation's grace, previous), then the access policy. A successful check is counted as a use.
///
/// DESIGN §7's caches, bounded hashing and write-behind usage build on this; the answers stay the same.
struct KeyVerifier: Sendable {
    struct Outcome: Sendable {
        let code: VerificationCode
        /// The key, when the secret matched; never for `notFound` or `malformed`.
        let key: APIKeyRecord?
    }

    let database: AppDatabase
    let hasher: PasswordHasher
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
        if code == .valid {
            try await database.recordKeyUse(id: key.id, ip: clientIP, now: now)
        }
        return Outcome(code: code, key: key)
    }

    private func secretMatches(_ secret: String, current: String, key: APIKeyRecord, now: Date) async -> Bool {
        if await hasher.verify(secret, encoded: current) { return true }
        guard let previous = key.previousSecretHash, let until = key.previousSecretExpiresAt, now < until else { return false }
        return await hasher.verify(secret, encoded: previous)
    }
}
