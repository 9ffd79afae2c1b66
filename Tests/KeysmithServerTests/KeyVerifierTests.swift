import Argon2
import Foundation
import KeysmithCore
import KeysmithStore
import Testing

@testable import KeysmithServer

/// The verifier against a real in-memory store and real (cheap) Argon2: what the API will answer.
@Suite struct KeyVerifierTests {
    let database: AppDatabase
    let clock = TestClock()
    let hasher = PasswordHasher(parameters: .testing)
    let limiter = RateLimiter()
    let accountId: Int64
    let origin = RequestOrigin(ip: nil, userAgent: "tests")

    init() async throws {
        database = try AppDatabase.open(path: nil)
        let account = try await database.createAccount(
            email: EmailAddress(unchecked: "ann@example.com"), passwordHash: "h", origin: origin, now: clock.now
        )
        accountId = try #require(account.id)
    }

    var verifier: KeyVerifier { KeyVerifier(database: database, hasher: hasher, limiter: limiter, clock: clock.appClock) }

    /// Creates an active key through the store, the way the console does, and returns its token.
    func activeKey(_ draft: KeyDraft = KeyDraft(name: "CI")) async throws -> APIKeyToken {
        let spec = try draft.validate(now: clock.now)
        let keyID = KeyID.generate(prefix: .default, environment: spec.environment)
        let token = APIKeyToken.generate(for: keyID)
        var key = APIKeyRecord(id: keyID, accountId: accountId, spec: spec, now: clock.now)
        (key.secretHash, key.hint) = (try await hasher.hash(token.secret), token.hint)
        _ = try await database.createKey(key, activate: true, origin: origin, now: clock.now)
        return token
    }

    @Test func activeKeyWithItsSecretIsValidAndCountsAUse() async throws {
        let token = try await activeKey()

        let outcome = try await verifier.verify(token, clientIP: "203.0.113.9")

        #expect(outcome.code == .valid)
        let stored = try #require(try await database.key(id: token.keyID.value))
        #expect(stored.lastUsedAt == clock.now)
        #expect(stored.lastUsedIp == "203.0.113.9")
        #expect(try await database.keyUsage(id: token.keyID.value, days: 1, now: clock.now).first?.count == 1)
    }

    @Test func wrongSecretAndUnknownIdAnswerNotFoundAlike() async throws {
        let token = try await activeKey()
        let wrongSecret = APIKeyToken.generate(for: token.keyID)
        let unknown = APIKeyToken.generate(for: KeyID.generate(prefix: .default, environment: .live))

        #expect(try await verifier.verify(wrongSecret).code == .notFound)
        #expect(try await verifier.verify(unknown).code == .notFound)
        #expect(try await database.key(id: token.keyID.value)?.lastUsedAt == nil)
    }

    @Test func rotatedKeyAcceptsOldSecretDuringGraceOnly() async throws {
        let old = try await activeKey()
        let new = APIKeyToken.generate(for: old.keyID)
        _ = try await database.rotateKey(
            id: old.keyID.value, accountId: accountId,
            secret: KeySecretUpdate(secretHash: try await hasher.hash(new.secret), hint: new.hint), grace: .oneHour,
            origin: origin,
            now: clock.now
        )

        clock.advance(by: 3599)
        #expect(try await verifier.verify(old).code == .valid)
        #expect(try await verifier.verify(new).code == .valid)
        clock.advance(by: 1)

        #expect(try await verifier.verify(old).code == .notFound)
        #expect(try await verifier.verify(new).code == .valid)
    }

    @Test func rotationWithoutGraceEndsTheOldSecretAtOnce() async throws {
        let old = try await activeKey()
        let new = APIKeyToken.generate(for: old.keyID)

        _ = try await database.rotateKey(
            id: old.keyID.value, accountId: accountId,
            secret: KeySecretUpdate(secretHash: try await hasher.hash(new.secret), hint: new.hint), grace: .immediately,
            origin: origin, now: clock.now
        )

        #expect(try await verifier.verify(old).code == .notFound)
        #expect(try await verifier.verify(new).code == .valid)
    }

    @Test func disabledDeletedAndExpiredKeysFailAtOnce() async throws {
        let disabled = try await activeKey(KeyDraft(name: "disabled"))
        let deleted = try await activeKey(KeyDraft(name: "deleted"))
        let expiring = try await activeKey(KeyDraft(name: "expiring", ttl: "1h"))

        _ = try await database.disableKey(id: disabled.keyID.value, accountId: accountId, origin: origin, now: clock.now)
        try await database.deleteKey(id: deleted.keyID.value, accountId: accountId, origin: origin, now: clock.now)
        clock.advance(by: 3600)

        #expect(try await verifier.verify(disabled).code == .disabled)
        #expect(try await verifier.verify(deleted).code == .notFound)
        #expect(try await verifier.verify(expiring).code == .expired)
    }

    @Test func allowlistAndScopesAreEnforced() async throws {
        let token = try await activeKey(KeyDraft(name: "restricted", scopes: ["orders:*"], ipAllowlist: ["10.0.0.0/8"]))

        #expect(try await verifier.verify(token, clientIP: "10.1.2.3").code == .valid)
        #expect(try await verifier.verify(token, clientIP: "::ffff:10.1.2.3").code == .valid)
        #expect(try await verifier.verify(token, clientIP: "192.0.2.1").code == .ipNotAllowed)
        #expect(try await verifier.verify(token, clientIP: nil).code == .ipNotAllowed)
        #expect(
            try await verifier.verify(token, requiredScope: try Scope.parse("orders:write").get(), clientIP: "10.0.0.1").code
                == .valid)
        #expect(
            try await verifier.verify(token, requiredScope: try Scope.parse("keys:read").get(), clientIP: "10.0.0.1").code
                == .insufficientScope
        )
    }

    @Test func pendingKeyWithoutASecretAnswersLikeAnUnknownId() async throws {
        let spec = try KeyDraft(name: "later").validate(now: clock.now)
        let keyID = KeyID.generate(prefix: .default, environment: .live)
        _ = try await database.createKey(
            APIKeyRecord(id: keyID, accountId: accountId, spec: spec, now: clock.now), activate: false, origin: origin,
            now: clock.now
        )

        #expect(try await verifier.verify(APIKeyToken.generate(for: keyID)).code == .notFound)
    }
}
