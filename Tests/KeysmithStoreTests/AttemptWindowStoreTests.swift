import Foundation
import KeysmithCore
import KeysmithPostgres
import KeysmithStore
import KeysmithTestStores
import Logging
import Testing

/// The sign-in throttles' shared windows (only PostgreSQL keeps them: with SQLite the one node's throttle in memory
/// sees every attempt).
@Suite(.enabled(if: TestStore.isPostgres, "needs the PostgreSQL pass (KEYSMITH_TEST_STORE=postgres)"))
struct AttemptWindowStoreTests {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Counts one attempt under `key` and returns how many the window held before it.
    private func count(_ key: String, in store: any AttemptWindowStore, at time: Date) async throws -> Int {
        try await store.updateAttemptWindows(purpose: "test", keys: [key], expiredBefore: time.addingTimeInterval(-60)) {
            windows in
            let before = windows[key] ?? AttemptWindow(start: time, used: 0)
            return ([key: AttemptWindow(start: before.start, used: before.used + 1)], before.used)
        }
    }

    @Test func decisionsOnOneKeyFromTwoNodesCountOneAfterAnother() async throws {
        let location = try TestStore.sharedLocation()
        let a = try await PostgresStore.connect(to: location, logger: Logger(label: "node-a"))
        let b = try await PostgresStore.connect(to: location, logger: Logger(label: "node-b"))
        defer {
            a.close()
            b.close()
        }

        let seen = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                group.addTask { try await count("address:203.0.113.9", in: index.isMultiple(of: 2) ? a : b, at: now) }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }

        #expect(seen.sorted() == Array(0..<40))  // none lost, none counted twice
    }

    @Test func aKeyLeftOutOfTheAnswerIsDeletedAndExpiredWindowsAreDropped() async throws {
        let store = try #require(try await TestStore.make().attemptWindows)
        _ = try await count("pair:old", in: store, at: now.addingTimeInterval(-120))
        _ = try await count("pair:kept", in: store, at: now)

        let found = try await store.updateAttemptWindows(
            purpose: "test", keys: ["pair:old", "pair:kept"], expiredBefore: now.addingTimeInterval(-60)
        ) { windows in ([:], windows) }
        let after = try await store.updateAttemptWindows(
            purpose: "test", keys: ["pair:kept"], expiredBefore: now.addingTimeInterval(-60)
        ) { windows in (windows, windows) }

        #expect(found == ["pair:kept": AttemptWindow(start: now, used: 1)])  // the expired one was gone before reading
        #expect(after.isEmpty)
    }
}
