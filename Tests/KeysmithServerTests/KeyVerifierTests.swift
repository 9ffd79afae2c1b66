import Argon2
import Foundation
import KeysmithCore
import KeysmithSQLite
import KeysmithStore
import Testing

@testable import KeysmithServer

/// The verifier against a real in-memory store and real (cheap) Argon2, keys changed through `KeyWriter`: what the
/// API will answer, and what each answer costs (Argon2 runs and store reads, from the metrics).
@Suite struct KeyVerifierTests {
    @Test func activeKeyWithItsSecretIsValidAndItsUseIsWrittenBehind() async throws {
        let path = try await TestHotPath()
        let (_, token) = try await path.activeKey()

        let outcome = try await path.verifier.verify(token, clientIP: "203.0.113.9")

        #expect(outcome.code == .valid)
        #expect(try await path.stored(token).lastUsedAt == nil)  // not yet: usage is written in batches
        await path.flushUsage()
        let stored = try await path.stored(token)
        #expect(stored.lastUsedAt == path.clock.now)
        #expect(stored.lastUsedIP == "203.0.113.9")
        #expect(try await path.database.keyUsage(id: token.keyID.value, days: 1, now: path.clock.now).first?.count == 1)
    }

    @Test func aProvenSecretIsCheckedWithoutArgon2OrTheStore() async throws {
        let path = try await TestHotPath()
        let (_, token) = try await path.activeKey()
        #expect(try await path.verifier.verify(token).code == .valid)
        let (runs, reads) = (path.metric("keysmith_argon2_runs_total"), path.metric("keysmith_key_store_reads_total"))

        for _ in 0..<50 { #expect(try await path.verifier.verify(token).code == .valid) }

        #expect(path.metric("keysmith_argon2_runs_total") == runs)
        #expect(path.metric("keysmith_key_store_reads_total") == reads)
        #expect(path.metric("keysmith_proven_secret_hits_total") == 50)
    }

    @Test func unknownIdsCostNeitherArgon2NorAStoreRead() async throws {
        let path = try await TestHotPath()
        _ = try await path.activeKey()
        let runs = path.metric("keysmith_argon2_runs_total")

        for _ in 0..<200 {
            let unknown = APIKeyToken.generate(for: KeyID.generate(prefix: .default, environment: .live))
            #expect(try await path.verifier.verify(unknown).code == .notFound)
        }

        #expect(path.metric("keysmith_argon2_runs_total") == runs)
        #expect(path.metric("keysmith_key_store_reads_total") == 0)
        #expect(path.metric("keysmith_key_cache_absent_total") == 200)
    }

    @Test func keysMadeBeforeTheStartAreFoundThroughTheFilterAndReadOnce() async throws {
        let first = try await TestHotPath()
        let (_, token) = try await first.activeKey()

        let restarted = try await TestHotPath(database: first.database)
        #expect(try await restarted.verifier.verify(token).code == .valid)
        #expect(try await restarted.verifier.verify(token).code == .valid)

        #expect(restarted.metric("keysmith_key_store_reads_total") == 1)
        #expect(restarted.metric("keysmith_argon2_runs_total") == 1)
    }

    @Test func wrongSecretAndUnknownIdAnswerNotFoundAlike() async throws {
        let path = try await TestHotPath()
        let (_, token) = try await path.activeKey()
        let wrongSecret = APIKeyToken.generate(for: token.keyID)
        let unknown = APIKeyToken.generate(for: KeyID.generate(prefix: .default, environment: .live))

        #expect(try await path.verifier.verify(wrongSecret).code == .notFound)
        #expect(try await path.verifier.verify(unknown).code == .notFound)
        await path.flushUsage()
        #expect(try await path.stored(token).lastUsedAt == nil)
    }

    @Test func rotatedKeyAcceptsTheOldSecretDuringGraceOnlyEvenWhenItWasCached() async throws {
        let path = try await TestHotPath()
        let (key, old) = try await path.activeKey()
        #expect(try await path.verifier.verify(old).code == .valid)  // proven, cached

        let (_, new) = try await path.writer.rotate(key, grace: .oneHour, customSecret: nil, origin: path.origin)

        path.clock.advance(by: 3599)
        #expect(try await path.verifier.verify(old).code == .valid)
        #expect(try await path.verifier.verify(new).code == .valid)
        path.clock.advance(by: 1)
        #expect(try await path.verifier.verify(old).code == .notFound)
        #expect(try await path.verifier.verify(new).code == .valid)
    }

    @Test func rotatingNowEndsACachedOldSecretAtOnce() async throws {
        let path = try await TestHotPath()
        let (key, old) = try await path.activeKey()
        #expect(try await path.verifier.verify(old).code == .valid)

        let (_, new) = try await path.writer.rotate(key, grace: .immediately, customSecret: nil, origin: path.origin)

        #expect(try await path.verifier.verify(old).code == .notFound)
        #expect(try await path.verifier.verify(new).code == .valid)
    }

    @Test func twoRotationsKeepTheGraceTheFirstAnnounced() async throws {
        let path = try await TestHotPath()
        let (key, first) = try await path.activeKey()
        let (rotated, second) = try await path.writer.rotate(key, grace: .oneHour, customSecret: nil, origin: path.origin)
        path.clock.advance(by: 60)

        let (_, third) = try await path.writer.rotate(rotated, grace: .sevenDays, customSecret: nil, origin: path.origin)

        #expect(try await path.verifier.verify(first).code == .valid)
        #expect(try await path.verifier.verify(second).code == .valid)
        #expect(try await path.verifier.verify(third).code == .valid)
        path.clock.advance(by: 3_540)
        #expect(try await path.verifier.verify(first).code == .notFound)
        #expect(try await path.verifier.verify(second).code == .valid)
    }

    @Test func disableDeleteAndExpiryHoldAtOnceForCachedKeys() async throws {
        let path = try await TestHotPath()
        let (disabledKey, disabled) = try await path.activeKey(KeyDraft(name: "disabled"))
        let (deletedKey, deleted) = try await path.activeKey(KeyDraft(name: "deleted"))
        let (_, expiring) = try await path.activeKey(KeyDraft(name: "expiring", ttl: "1h"))
        for token in [disabled, deleted, expiring] { #expect(try await path.verifier.verify(token).code == .valid) }

        _ = try await path.writer.disable(disabledKey, origin: path.origin)
        try await path.writer.delete(deletedKey, origin: path.origin)
        path.clock.advance(by: 3600)

        #expect(try await path.verifier.verify(disabled).code == .disabled)
        #expect(try await path.verifier.verify(deleted).code == .notFound)
        #expect(try await path.verifier.verify(expiring).code == .expired)
    }

    @Test func allowlistAndScopesAreEnforced() async throws {
        let path = try await TestHotPath()
        let (_, token) = try await path.activeKey(KeyDraft(name: "restricted", scopes: ["orders:*"], ipAllowlist: ["10.0.0.0/8"]))
        let verifier = path.verifier

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

    @Test func pendingKeyWithoutASecretAnswersLikeAnUnknownIdWithoutHashing() async throws {
        let path = try await TestHotPath()
        let spec = try KeyDraft(name: "later").validate(now: path.clock.now)
        let (key, _) = try await path.writer.create(
            spec, in: path.project, creatorID: path.accountID, activate: false, origin: path.origin)

        #expect(try await path.verifier.verify(APIKeyToken.generate(for: key.id)).code == .notFound)
        #expect(path.metric("keysmith_argon2_runs_total") == 0)
    }

    @Test func aSecretHashedWithOlderParametersIsRehashedAtItsNextUse() async throws {
        let database = try SQLiteStore.open(path: nil)
        let (_, token) = try await TestHotPath(database: database).activeKey(KeyDraft(name: "old"))
        let stronger = try await TestHotPath(database: database) {
            $0.argon2 = Argon2Parameters(memoryKiB: 16, iterations: 1, parallelism: 1)
        }

        #expect(try await stronger.verifier.verify(token).code == .valid)

        let stored = try #require(try await stronger.stored(token).secrets.current?.hash)
        #expect(stored.hasPrefix("$argon2id$v=19$m=16,t=1,p=1$"))
        let runs = stronger.metric("keysmith_argon2_runs_total")
        #expect(try await stronger.verifier.verify(token).code == .valid)
        #expect(stronger.metric("keysmith_argon2_runs_total") == runs)  // the new hash is proven too
    }
}
