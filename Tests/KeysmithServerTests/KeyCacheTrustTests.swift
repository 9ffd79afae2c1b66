import Foundation
import KeysmithCore
import Testing

@testable import KeysmithServer

/// How far the cache believes its snapshots when other nodes change keys (DESIGN §9): a stale snapshot is read
/// again from the store, and keeps the secrets it had proven when the stored key still has their hashes.
@Suite struct KeyCacheTrustTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func key() throws -> APIKey {
        let spec = try KeyDraft(name: "k").validate(now: now)
        var key = APIKey(
            id: KeyID.generate(prefix: .default, environment: .live), projectID: .generate(), workspaceID: .generate(),
            creatorID: 1, spec: spec, customSecret: nil, now: now)
        try key.activate(with: KeySecrets.Stored(hash: "$argon2id$hash", hint: "abcd"), now: now)
        return key
    }

    /// A cache holding `key`, loaded from the store, with one proven secret.
    func cache(holding key: APIKey) -> (KeyCache, SecretDigest) {
        let cache = KeyCache(capacity: 10, knownIDs: [key.id.value], metrics: AppMetrics())
        guard case .unknown(let generation) = cache.lookup(key.id.value) else { fatalError("the id is known") }
        cache.fill(key.id.value, with: key, loadedAt: generation)
        let digest = SecretDigester().digest("the secret")
        cache.prove(key.id.value, digest: digest, hash: "$argon2id$hash")
        return (cache, digest)
    }

    func isBelieved(_ cache: KeyCache, _ id: String) -> Bool {
        if case .cached = cache.lookup(id) { return true }
        return false
    }

    @Test func withEveryChangeReportedASnapshotIsBelievedHoweverOld() throws {
        let key = try key()
        let (cache, _) = cache(holding: key)
        #expect(cache.trust == .all)
        #expect(isBelieved(cache, key.id.value))
    }

    @Test func withTheFeedLostASnapshotCountsOnlyWhileYoung() async throws {
        let key = try key()
        let (cache, digest) = cache(holding: key)
        cache.setTrust(.youngerThan(.milliseconds(200)))
        #expect(isBelieved(cache, key.id.value))

        try await Task.sleep(for: .milliseconds(250))
        guard case .unknown(let generation) = cache.lookup(key.id.value) else {
            Issue.record("a snapshot older than the limit is still believed")
            return
        }
        #expect(cache.peekBelieved(key.id.value) == nil)
        // Read again: believed once more, and the secret it had proven stays proven (same hash).
        cache.fill(key.id.value, with: key, loadedAt: generation)
        #expect(isBelieved(cache, key.id.value))
        #expect(cache.peek(key.id.value)?.provenHash(for: digest, at: now) == "$argon2id$hash")
    }

    @Test func afterTheFeedReturnsOnlySnapshotsLoadedSinceAreBelieved() throws {
        let key = try key()
        let (cache, _) = cache(holding: key)
        cache.setTrust(.loadedSince(.now))
        guard case .unknown(let generation) = cache.lookup(key.id.value) else {
            Issue.record("a snapshot from before the feed returned is believed")
            return
        }
        cache.fill(key.id.value, with: key, loadedAt: generation)
        #expect(isBelieved(cache, key.id.value))
    }

    @Test func aChangeElsewhereMakesTheSnapshotStaleAndAReloadTakesTheNewKey() throws {
        var key = try key()
        let (cache, digest) = cache(holding: key)
        cache.invalidate(key.id.value)
        guard case .unknown(let generation) = cache.lookup(key.id.value) else {
            Issue.record("an invalidated snapshot is still believed")
            return
        }
        try key.disable(now: now)
        cache.fill(key.id.value, with: key, loadedAt: generation)
        #expect(cache.peekBelieved(key.id.value)?.key.status == .disabled)
        #expect(cache.peek(key.id.value)?.provenHash(for: digest, at: now) == "$argon2id$hash")
    }

    @Test func aKeyDeletedElsewhereIsForgottenWhenReadAgain() throws {
        let key = try key()
        let (cache, _) = cache(holding: key)
        cache.invalidate(key.id.value)
        guard case .unknown(let generation) = cache.lookup(key.id.value) else {
            Issue.record("an invalidated snapshot is still believed")
            return
        }
        cache.fill(key.id.value, with: nil, loadedAt: generation)
        guard case .absent = cache.lookup(key.id.value) else {
            Issue.record("a key the store no longer has is not remembered as missing")
            return
        }
    }

    @Test func anIdCreatedElsewhereIsLearnedByTheFilter() throws {
        let cache = KeyCache(capacity: 10, knownIDs: [], metrics: AppMetrics())
        let id = KeyID.generate(prefix: .default, environment: .live).value
        guard case .absent = cache.lookup(id) else {
            Issue.record("an unknown id is not absent")
            return
        }
        cache.invalidate(id)
        guard case .unknown = cache.lookup(id) else {
            Issue.record("the id of a key made elsewhere is still taken for absent")
            return
        }
    }

    @Test func whileTheFeedIsLostAnUnknownIdIsAskedOfTheStoreUntilTheFilterIsRebuilt() async throws {
        let cache = KeyCache(capacity: 10, knownIDs: [], metrics: AppMetrics())
        let made = KeyID.generate(prefix: .default, environment: .live).value  // made elsewhere, notice missed
        cache.setTrust(.youngerThan(.seconds(1)))
        guard case .unknown(let generation) = cache.lookup(made) else {
            Issue.record("without the feed, the filter's no is taken for the store's")
            return
        }
        cache.fill(made, with: nil, loadedAt: generation)
        guard case .unknown = cache.lookup(made) else {
            Issue.record("a missing id is remembered while no change can correct it")
            return
        }

        cache.setTrust(.loadedSince(.now))
        #expect(cache.beginRebuild())
        try await cache.rebuildFilter { [made] }
        guard case .unknown = cache.lookup(made) else {
            Issue.record("the rebuilt filter lost the id the store has")
            return
        }
        guard case .absent = cache.lookup(KeyID.generate(prefix: .default, environment: .live).value) else {
            Issue.record("after the rebuild, an id the store lacks still costs a read")
            return
        }
    }
}
