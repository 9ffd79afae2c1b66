import Foundation
import KeysmithCore
import KeysmithSQLite
import KeysmithStore
import KeysmithTestStores
import Logging
import Testing

@testable import KeysmithServer

/// DESIGN §7's parts as the application wires them, on a real in-memory store with cheap Argon2 and a clock the
/// test moves: for tests that look at the verifier, the cache and the counters directly.
struct TestHotPath: Sendable {
    let database: any Store
    let clock: TestClock
    let metrics: AppMetrics
    let hotPath: HotPath
    let accountID: Int64
    /// The user's Default project, where `activeKey` puts keys.
    let project: ProjectRecord
    let origin = RequestOrigin(ip: nil, userAgent: "tests")

    init(
        database given: (any Store)? = nil, startingAt start: Date = Date(timeIntervalSince1970: 1_800_000_000),
        _ configure: (inout AppConfiguration) -> Void = { _ in }
    ) async throws {
        let database: any Store
        if let given { database = given } else { database = try await TestStore.make() }
        let clock = TestClock(start)
        var configuration = AppConfiguration.testing
        configuration.clock = clock.appClock
        configure(&configuration)
        let email = EmailAddress(unchecked: "ann@example.com")
        var account = try await database.account(email: email)
        if account == nil {
            account = try await database.createAccount(email: email, passwordHash: "h", origin: origin, now: clock.now)
        }
        self.database = database
        self.clock = clock
        self.metrics = AppMetrics()
        self.hotPath = try await HotPath(
            configuration: configuration, database: database, metrics: metrics, logger: Logger(label: "keysmith.test"))
        self.accountID = try #require(account?.id)
        let selection = try await database.selection(accountId: accountID, workspace: nil, project: nil)
        self.project = try #require(selection?.project)
        // A store several nodes share comes with a change feed, which the application runs as a service.
        following = hotPath.keyChanges.map { follower in Following(Task { try await follower.run() }) }
        if following != nil {
            try await eventually("the node follows the change feed") { [hotPath] in hotPath.cache.isFollowingEveryChange }
        }
    }

    /// The change feed's task, as long as the test holds the hot path.
    final class Following: Sendable {
        let task: Task<Void, any Error>

        init(_ task: Task<Void, any Error>) { self.task = task }

        deinit { task.cancel() }
    }

    private let following: Following?

    /// Stops following other nodes' changes, as a node whose feed process hangs would.
    func stopFollowing() {
        following?.task.cancel()
    }

    var verifier: KeyVerifier { hotPath.verifier }
    var writer: KeyWriter { hotPath.writer }

    /// A new active key made the way the console makes it, and its token.
    func activeKey(_ draft: KeyDraft = KeyDraft(name: "CI")) async throws -> (key: APIKey, token: APIKeyToken) {
        var draft = draft
        if draft.name.isEmpty { draft.name = "key \(UUID().uuidString.prefix(8))" }
        let spec = try draft.validate(now: clock.now)
        let (key, token) = try await writer.create(spec, in: project, creatorID: accountID, activate: true, origin: origin)
        return (key, try #require(token))
    }

    /// The key as the store holds it now.
    func stored(_ token: APIKeyToken) async throws -> APIKey {
        try #require(try await database.key(id: token.keyID.value))
    }

    /// Writes the counted uses now, as the write-behind service does every second.
    func flushUsage() async {
        await hotPath.writeBehind.flush()
    }

    /// A counter's current value as `/metrics` shows it (0 when absent).
    func metric(_ name: String) -> Double {
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        let values = text.split(separator: "\n").filter { $0.hasPrefix(name + " ") || $0.hasPrefix(name + "{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        return values.reduce(0, +)
    }
}
