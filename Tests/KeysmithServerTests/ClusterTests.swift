import Foundation
import KeysmithCore
import KeysmithPostgres
import KeysmithStore
import KeysmithTestStores
import Logging
import PostgresNIO
import Testing

@testable import KeysmithServer

/// Two nodes on one PostgreSQL (DESIGN §9): a change made on one reaches the other's cache through LISTEN/NOTIFY,
/// and a node whose feed is cut stops believing its snapshots instead of answering from them. These need the
/// cluster `make test` starts for its PostgreSQL pass; with SQLite there is only ever one node. How fast a change
/// travels is `make bench`'s cluster case; here the whole suite runs at once, so waits are generous.
@Suite(.enabled(if: TestStore.isPostgres, "several nodes need the PostgreSQL pass (KEYSMITH_TEST_STORE=postgres)"))
struct ClusterTests {
    /// Two nodes sharing a fresh schema, each with the hot path the application wires and its change feed.
    struct Cluster {
        let a: TestHotPath
        let b: TestHotPath
        let bStore: PostgresStore

        static func start() async throws -> Cluster {
            let location = try TestStore.sharedLocation()
            let aStore = try await PostgresStore.connect(to: location, logger: Logger(label: "node-a"))
            let bStore = try await PostgresStore.connect(to: location, logger: Logger(label: "node-b"))
            return Cluster(
                a: try await TestHotPath(database: aStore), b: try await TestHotPath(database: bStore), bStore: bStore)
        }

        /// B stops following A's changes.
        func stop() {
            b.stopFollowing()
        }

        /// Waits until B has heard of a key A just made and verifies its token.
        func bAccepts(_ token: APIKeyToken) async throws {
            try await eventually("B accepts the new key") { try await b.verifier.verify(token).code == .valid }
        }
    }

    @Test func aDisableOnOneNodeIsRefusedByTheOtherWithinASecond() async throws {
        let cluster = try await Cluster.start()
        let (key, token) = try await cluster.a.activeKey()
        try await cluster.bAccepts(token)  // B learns of it, loads it and proves the secret

        _ = try await cluster.a.writer.disable(key, origin: cluster.a.origin)
        try await eventually("B refuses the disabled key") { try await cluster.b.verifier.verify(token).code != .valid }
        #expect(try await cluster.b.verifier.verify(token).code == .disabled)
    }

    @Test func aRotateNowAndADeleteOnOneNodeReachTheOther() async throws {
        let cluster = try await Cluster.start()
        let (key, old) = try await cluster.a.activeKey()
        try await cluster.bAccepts(old)

        let (rotated, newToken) = try await cluster.a.writer.rotate(
            key, grace: .immediately, customSecret: nil, origin: cluster.a.origin)
        try await eventually("B refuses the rotated-out secret") { try await cluster.b.verifier.verify(old).code != .valid }
        #expect(try await cluster.b.verifier.verify(newToken).code == .valid)

        try await cluster.a.writer.delete(rotated, origin: cluster.a.origin)
        try await eventually("B refuses the deleted key") { try await cluster.b.verifier.verify(newToken).code == .notFound }
    }

    @Test func aKeyCreatedOnOneNodeIsFoundByTheOther() async throws {
        let cluster = try await Cluster.start()
        // B started before the key existed: its id filter learns of it only from the feed.
        let (_, token) = try await cluster.a.activeKey()
        try await cluster.bAccepts(token)
    }

    @Test func aNodeWhoseFeedIsCutFailsClosedAndFollowsAgain() async throws {
        let cluster = try await Cluster.start()
        let (key, token) = try await cluster.a.activeKey()
        try await cluster.bAccepts(token)

        // Cut B's LISTEN connection, then disable at once: the NOTIFY that B would have seen is lost.
        try await TestStore.terminateListeners(of: cluster.bStore.nodeID)
        _ = try await cluster.a.writer.disable(key, origin: cluster.a.origin)
        try await eventually("B refuses the disabled key without its feed") {
            try await cluster.b.verifier.verify(token).code != .valid
        }
        try await eventually("B follows again") { cluster.b.hotPath.cache.isFollowingEveryChange }
        #expect(try await cluster.b.verifier.verify(token).code == .disabled)
    }

    @Test func twoNodesTogetherAdmitNoMoreThanAKeysRateLimitPerWindow() async throws {
        let cluster = try await Cluster.start()
        var draft = KeyDraft(name: "limited")
        draft.rateLimit = "10"
        draft.rateLimitWindow = "hour"  // one window for the whole test, whatever the clock does
        let (_, token) = try await cluster.a.activeKey(draft)
        try await cluster.bAccepts(token)  // the first of the ten
        var admitted = 1
        for attempt in 0..<30 {
            let node = attempt.isMultiple(of: 2) ? cluster.a : cluster.b
            if try await node.verifier.verify(token).code == .valid { admitted += 1 }
        }
        #expect(admitted == 10)
        #expect(try await cluster.a.verifier.verify(token).code == .rateLimited)
        #expect(try await cluster.b.verifier.verify(token).code == .rateLimited)
    }

    @Test func theSyncStatusCountsNodesThatHaveNotAppliedAKeysLastChange() async throws {
        let cluster = try await Cluster.start()
        let (key, _) = try await cluster.a.activeKey()
        // Both follow, and report what they applied about once a second.
        try await eventually("B reports the change") {
            try await cluster.bStore.syncStatus(ofKey: key.id.value)?.hasReachedEveryNode == true
        }
        let status = try #require(try await cluster.bStore.syncStatus(ofKey: key.id.value))
        #expect(status.liveNodes == 2)
        #expect(status.nodesBehind == 0)

        // B stops following but is still live (it reported within the last seconds): it is behind on the disable.
        cluster.stop()
        _ = try await cluster.a.writer.disable(key, origin: cluster.a.origin)
        // A applied its own change and says so within a second; B never will.
        try await eventually("only B is behind") {
            try await cluster.bStore.syncStatus(ofKey: key.id.value)?.nodesBehind == 1
        }
        let behind = try #require(try await cluster.bStore.syncStatus(ofKey: key.id.value))
        #expect(behind.liveNodes == 2)
        #expect(!behind.hasReachedEveryNode)
    }
}

/// Polls `condition` every 10 ms until it holds, failing the test after `timeout`.
func eventually(
    _ what: String, timeout: Duration = .seconds(20), _ condition: () async throws -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
    throw CancellationError()
}
