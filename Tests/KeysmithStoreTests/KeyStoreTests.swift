import Foundation
import KeysmithCore
import KeysmithSQLite
import KeysmithStore
import KeysmithTestStores
import Synchronization
import Testing

private let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
private let origin = RequestOrigin(ip: "192.0.2.1", userAgent: "tests")

/// The store under test — a real SQLite file, or a fresh PostgreSQL schema on `make test`'s second pass — with one
/// or two accounts; closed (and the file removed) when the test ends.
final class KeyStore: Sendable {
    let database: any Store
    /// The SQLite pass's file.
    private let file: TemporaryDatabase?

    init() async throws {
        if TestStore.isPostgres {
            database = try await TestStore.make()
            file = nil
        } else {
            let file = try TemporaryDatabase()
            database = try file.open()
            self.file = file
        }
    }

    deinit {
        if let file, let sqlite = database as? SQLiteStore {
            try? sqlite.close()
            file.remove()
        } else {
            let database = database
            Task { try? await database.close() }
        }
    }

    /// Signs up a user and returns the Default project of their personal workspace, where their keys go.
    func account(_ email: String = "ann@example.com") async throws -> ProjectRecord {
        let account = try await database.createAccount(
            email: EmailAddress(unchecked: email), passwordHash: "h", origin: origin, now: now)
        let accountId = try #require(account.id)
        let workspace = try #require(try await database.memberships(accountId: accountId).first?.workspace)
        return try #require(try await database.projects(of: workspace.id).first)
    }

    @discardableResult
    func key(
        _ name: String, in project: ProjectRecord, id: String? = nil, activate: Bool = true, draft: KeyDraft = KeyDraft(),
        at time: Date = now
    ) async throws -> APIKey {
        var draft = draft
        draft.name = name
        let spec = try draft.validate(now: time)
        let keyID = try id.map { try KeyID($0) } ?? KeyID.generate(prefix: .default, environment: spec.environment)
        var key = APIKey(
            id: keyID, projectID: project.id, workspaceID: project.workspaceId, creatorID: nil, spec: spec, customSecret: nil,
            now: time)
        if activate {
            try key.activate(with: KeySecrets.Stored(hash: "$argon2id$fake", hint: keyID.hint(secret: "abcd")), now: time)
        }
        return try await database.createKey(key, origin: origin, now: time)
    }

    /// Applies one of `APIKey`'s rules through the store, as `KeyWriter` does.
    @discardableResult
    func change(
        _ key: APIKey, in workspace: WorkspaceID? = nil, _ action: AuditAction, detail: String? = nil, at time: Date = now,
        _ rule: @escaping @Sendable (inout APIKey) throws -> Void
    ) async throws -> APIKey {
        try await database.changeKey(
            id: key.id.value, workspaceID: workspace ?? key.workspaceID, audit: action, detail: detail, origin: origin, now: time,
            rule)
    }

    func names(_ project: ProjectRecord, _ query: KeyListQuery, at time: Date = now) async throws -> [String] {
        try await database.keys(projectID: project.id, matching: query, now: time).items.map(\.name).sorted()
    }

    func auditActions(_ project: ProjectRecord, subject: String) async throws -> [AuditAction?] {
        try await database.auditEntries(workspaceID: project.workspaceId, subject: subject).map(\.auditAction)
    }
}

@Suite struct KeyStoreTests {
    // MARK: Names

    @Test func nameIsUniquePerProjectAndATakenNameWritesNothing() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        try await store.key("Billing", in: ann)
        let auditBefore = try await store.database.auditEntries(workspaceID: ann.workspaceId, page: 1).totalCount

        await #expect(throws: KeyError.nameTaken("Billing")) {
            try await store.key("Billing", in: ann)
        }

        #expect(try await store.names(ann, KeyListQuery()) == ["Billing"])
        #expect(try await store.database.auditEntries(workspaceID: ann.workspaceId, page: 1).totalCount == auditBefore)
    }

    @Test func renamingToATakenNameIsNameTakenAndKeepsTheKey() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        try await store.key("Billing", in: ann)
        let other = try await store.key("Mailer", in: ann)
        let spec = try KeyDraft(name: "Billing").validate(now: now)

        await #expect(throws: KeyError.nameTaken("Billing")) {
            try await store.change(other, .keyUpdated) { $0.edit(spec, now: now) }
        }

        #expect(try await store.database.key(id: other.id.value) == other)
    }

    @Test func sameNameInTwoAccountsIsFine() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let bob = try await store.account("bob@example.com")

        try await store.key("Billing", in: ann)
        try await store.key("Billing", in: bob)

        #expect(try await store.names(ann, KeyListQuery()) == ["Billing"])
        #expect(try await store.names(bob, KeyListQuery()) == ["Billing"])
    }

    // MARK: Lifecycle

    @Test func lifecycleTransitionsChangeTheStatusAndEachLeavesAnAuditEntry() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Lifecycle", in: ann, activate: false)
        let first = KeySecrets.Stored(hash: "$argon2id$first", hint: "ks_live_abcd…0001")
        let second = KeySecrets.Stored(hash: "$argon2id$second", hint: "ks_live_abcd…0002")
        let later = now.addingTimeInterval(60)

        let active = try await store.change(key, .keyActivated, at: later) { try $0.activate(with: first, now: later) }
        let disabled = try await store.change(key, .keyDisabled, at: later) { try $0.disable(now: later) }
        let enabled = try await store.change(key, .keyEnabled, at: later) { try $0.enable(now: later) }
        let rotated = try await store.change(key, .keyRotated, detail: "grace 24 hours", at: later) {
            try $0.rotate(to: second, grace: .oneDay, now: later)
        }

        #expect(key.status == .pending)
        #expect(key.secrets.current == nil)
        #expect(active.status == .active)
        #expect(active.activatedAt == later)
        #expect(active.secrets.current == first)
        #expect(disabled.status == .disabled)
        #expect(enabled.status == .active)
        #expect(rotated.secrets.current == second)
        #expect(rotated.secrets.retired == [KeySecrets.Retired(secret: first, until: later.addingTimeInterval(86_400))])
        #expect(rotated.hint == "ks_live_abcd…0002")
        #expect(rotated.updatedAt == later)
        #expect(try await store.database.key(id: key.id.value) == rotated)
        #expect(
            try await store.auditActions(ann, subject: key.id.value) == [
                .keyRotated, .keyEnabled, .keyDisabled, .keyActivated, .keyCreated,
            ])
        #expect(
            try await store.database.auditEntries(workspaceID: ann.workspaceId, subject: key.id.value).first?.detail
                == "grace 24 hours")
    }

    @Test func everyAnnouncedGraceSurvivesTheRoundTripThroughTheFile() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Twice rotated", in: ann)
        let secondSecret = KeySecrets.Stored(hash: "$argon2id$second", hint: "ks_live_abcd…0002")
        let thirdSecret = KeySecrets.Stored(hash: "$argon2id$third", hint: "ks_live_abcd…0003")

        try await store.change(key, .keyRotated) { try $0.rotate(to: secondSecret, grace: .oneHour, now: now) }
        let twice = try await store.change(key, .keyRotated) { try $0.rotate(to: thirdSecret, grace: .sevenDays, now: now) }
        let reread = try #require(try await store.database.key(id: key.id.value))

        #expect(reread == twice)
        #expect(reread.secrets.liveHashes(at: now) == ["$argon2id$third", "$argon2id$fake", "$argon2id$second"])
        #expect(reread.secrets.liveHashes(at: now.addingTimeInterval(3_600)) == ["$argon2id$third", "$argon2id$second"])
    }

    static let refusedTransitions: [(from: KeyStatus, action: KeyAction, error: KeyError)] = [
        (.pending, .rotate, .cannotRotate(.pending)),
        (.pending, .disable, .cannotDisable(.pending)),
        (.pending, .enable, .cannotEnable(.pending)),
        (.active, .activate, .cannotActivate(.active)),
        (.active, .enable, .cannotEnable(.active)),
        (.disabled, .activate, .cannotActivate(.disabled)),
        (.disabled, .disable, .cannotDisable(.disabled)),
    ]

    @Test(arguments: refusedTransitions)
    func transitionTheStatusDoesNotAllowThrowsAndWritesNothing(from: KeyStatus, action: KeyAction, error: KeyError) async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        var key = try await store.key("Stuck", in: ann, activate: from != .pending)
        if from == .disabled { key = try await store.change(key, .keyDisabled) { try $0.disable(now: now) } }
        let auditBefore = try await store.auditActions(ann, subject: key.id.value)

        await #expect(throws: error) {
            try await store.apply(action, to: key, in: ann)
        }

        #expect(try await store.database.key(id: key.id.value) == key)
        #expect(try await store.auditActions(ann, subject: key.id.value) == auditBefore)
    }

    @Test(arguments: [KeyAction.activate, .rotate, .disable, .enable])
    func anotherAccountsKeyIsNotFoundAndUnchanged(_ action: KeyAction) async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let bob = try await store.account("bob@example.com")
        var key = try await store.key("Ann's", in: ann, activate: action != .activate)
        if action == .enable { key = try await store.change(key, .keyDisabled) { try $0.disable(now: now) } }

        await #expect(throws: KeyError.notFound) {
            try await store.apply(action, to: key, in: bob)
        }
        await #expect(throws: KeyError.notFound) {
            try await store.database.deleteKey(id: key.id.value, workspaceID: bob.workspaceId, origin: origin, now: now)
        }

        #expect(try await store.database.key(id: key.id.value, workspaceID: bob.workspaceId) == nil)
        #expect(try await store.database.key(id: key.id.value) == key)
        #expect(try await store.database.auditEntries(workspaceID: bob.workspaceId, subject: key.id.value).isEmpty)
    }

    @Test func deletingAKeyRemovesItAndItsUsageButKeepsItsAuditEntries() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Doomed", in: ann)
        try await store.database.recordUsage(tally(key, at: now))

        try await store.database.deleteKey(id: key.id.value, workspaceID: ann.workspaceId, origin: origin, now: now)

        #expect(try await store.database.key(id: key.id.value) == nil)
        #expect(try await usageRowCount(store.database) == 0)
        #expect(try await store.database.allKeyIDs().isEmpty)
        #expect(try await store.auditActions(ann, subject: key.id.value) == [.keyDeleted, .keyActivated, .keyCreated])
    }

    @Test func deletingAnAccountDeletesItsKeysAndTheirUsageAndNamesThem() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let bob = try await store.account("bob@example.com")
        let annsKey = try await store.key("Ann's", in: ann)
        let bobsKey = try await store.key("Bob's", in: bob)
        var both = tally(annsKey, at: now)
        both.merge(tally(bobsKey, at: now))
        try await store.database.recordUsage(both)

        let deleted = Mutex<[String]>([])

        try await store.database.deleteAccount(id: try #require(ann.creatorForTests(store)), origin: origin, now: now) { ids, _ in
            deleted.withLock { $0 = ids }
        }

        #expect(deleted.withLock { $0 } == [annsKey.id.value])
        #expect(try await store.database.key(id: annsKey.id.value) == nil)
        #expect(try await store.database.key(id: bobsKey.id.value)?.lastUsedAt == now)
        #expect(try await usageRowCount(store.database) == 1)
    }

    // MARK: Usage and quota (the hot path's writes)

    @Test func usageBatchesAddPerUTCDayAndAreReadAsThirtyZeroFilledDaysOldestFirst() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Busy", in: ann)
        let endOfDay = try #require(ISO8601DateFormatter().date(from: "2027-01-14T23:59:59Z"))
        let startOfDay = endOfDay.addingTimeInterval(2)  // 2027-01-15T00:00:01Z
        var first = UsageTally()
        for _ in 0..<2 { first.record(keyID: key.id.value, at: endOfDay, ip: "203.0.113.7") }
        var second = UsageTally()
        second.record(keyID: key.id.value, at: endOfDay, ip: "203.0.113.7")
        second.record(keyID: key.id.value, at: startOfDay, ip: "2001:db8::1")

        try await store.database.recordUsage(first)
        try await store.database.recordUsage(second)
        let usage = try await store.database.keyUsage(id: key.id.value, days: 30, now: now)

        #expect(usage.count == 30)
        #expect(usage.first?.day == "2026-12-17")
        #expect(usage.last?.day == "2027-01-15")
        #expect(usage.map(\.day) == usage.map(\.day).sorted())
        #expect(usage.suffix(2).map(\.count) == [3, 1])
        #expect(usage.dropLast(2).allSatisfy { $0.count == 0 })
        let stored = try #require(try await store.database.key(id: key.id.value))
        #expect(stored.lastUsedAt == startOfDay)
        #expect(stored.lastUsedIP == "2001:db8::1")
    }

    @Test func anOlderBatchNeverMovesLastUsedBackAndUsesOfDeletedKeysAreDropped() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let kept = try await store.key("Kept", in: ann)
        let gone = try await store.key("Gone", in: ann)
        try await store.database.recordUsage(tally(kept, at: now, ip: "198.51.100.2"))
        try await store.database.deleteKey(id: gone.id.value, workspaceID: ann.workspaceId, origin: origin, now: now)

        var late = tally(kept, at: now.addingTimeInterval(-60), ip: "198.51.100.1")
        late.merge(tally(gone, at: now))
        try await store.database.recordUsage(late)

        let stored = try #require(try await store.database.key(id: kept.id.value))
        #expect(stored.lastUsedAt == now)
        #expect(stored.lastUsedIP == "198.51.100.2")
        #expect(try await usageRowCount(store.database) == 1)
    }

    @Test func quotaLeasesComeOutOfTheStoredBalanceAndUnspentUnitsGoBack() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Metered", in: ann, draft: KeyDraft(quota: "400"))

        let first = try #require(try await store.database.leaseQuota(id: key.id.value, maxSlice: 100, now: now))
        let second = try #require(try await store.database.leaseQuota(id: key.id.value, maxSlice: 100, now: now))
        #expect(first.units == 100 && first.storeRemainder == 300)
        #expect(second.units == 75 && second.storeRemainder == 225)

        var partlySpent = second
        for _ in 0..<25 { _ = partlySpent.spend() }
        try await store.database.returnQuota([(key.id.value, partlySpent)])

        #expect(try await store.database.key(id: key.id.value)?.quotaBalance?.remaining == 275)
        #expect(try await store.database.leaseQuota(id: key.id.value, maxSlice: 100, now: now) != nil)
        #expect(
            try await store.database.leaseQuota(
                id: (try await store.key("Free", in: ann)).id.value, maxSlice: 100, now: now) == nil)
    }

    @Test func leaseUnitsOfAnEditedQuotaAreNotGivenBack() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Metered", in: ann, draft: KeyDraft(quota: "400"))
        let lease = try #require(try await store.database.leaseQuota(id: key.id.value, maxSlice: 100, now: now))
        let later = now.addingTimeInterval(5)
        let spec = try KeyDraft(name: "Metered", quota: "50").validate(now: later)
        try await store.change(key, .keyUpdated, at: later) { $0.edit(spec, now: later) }

        try await store.database.returnQuota([(key.id.value, lease)])

        #expect(try await store.database.key(id: key.id.value)?.quotaBalance?.remaining == 50)
    }

    @Test func aRuleThatThrowsInsideTheTransactionWritesNothing() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Untouched", in: ann)
        struct Refused: Error {}

        await #expect(throws: Refused.self) {
            try await store.change(key, .keyUpdated) { key in
                key.name = "Renamed"
                throw Refused()
            }
        }

        #expect(try await store.database.key(id: key.id.value) == key)
        #expect(try await store.auditActions(ann, subject: key.id.value) == [.keyActivated, .keyCreated])
    }

    // MARK: Listing

    @Test func expiredIsDerivedFromTheExpiryAtQueryTime() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        try await store.key("Day pass", in: ann, draft: KeyDraft(ttl: "1d"))
        try await store.key("Forever", in: ann)
        try await store.key("Pending day pass", in: ann, activate: false, draft: KeyDraft(ttl: "1d"))
        let twoDaysLater = now.addingTimeInterval(2 * 86_400)

        #expect(try await store.names(ann, KeyListQuery(status: .expired)).isEmpty)
        #expect(try await store.names(ann, KeyListQuery(status: .active)) == ["Day pass", "Forever"])
        #expect(try await store.names(ann, KeyListQuery(status: .expired), at: twoDaysLater) == ["Day pass", "Pending day pass"])
        #expect(try await store.names(ann, KeyListQuery(status: .active), at: twoDaysLater) == ["Forever"])
        #expect(try await store.names(ann, KeyListQuery(status: .pending), at: twoDaysLater).isEmpty)
        let counts = try await store.database.keyCounts(projectID: ann.id, now: twoDaysLater)
        #expect(counts == [.active: 1, .pending: 0, .disabled: 0, .expired: 2])
    }

    @Test(arguments: [("%", ["100% uptime"]), ("e_c", ["snake_case"]), ("TREE", ["tree-cat"]), (#"\"#, [#"back\slash"#])])
    func searchTreatsPercentUnderscoreAndBackslashLiterally(search: String, expected: [String]) async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let names = ["100% uptime", "snake_case", "tree-cat", "plain", #"back\slash"#]
        for (number, name) in names.enumerated() {
            try await store.key(name, in: ann, id: "ks_live_000000000000000\(number)", activate: false)
        }

        let found = try await store.names(ann, KeyListQuery(search: search))

        #expect(found == expected)
    }

    @Test func searchIndexFollowsRenamesActivationAndDeletion() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let pending = try await store.key("Nightly export", in: ann, activate: false)
        let renamed = try await store.key("Old billing name", in: ann)
        let deleted = try await store.key("Doomed importer", in: ann)

        try await store.change(pending, .keyActivated) {
            try $0.activate(with: KeySecrets.Stored(hash: "$argon2id$fake", hint: "ks_live_Zz9…wX9a"), now: now)
        }
        let spec = try KeyDraft(name: "Checkout service").validate(now: now)
        try await store.change(renamed, .keyUpdated) { $0.edit(spec, now: now) }
        try await store.database.deleteKey(id: deleted.id.value, workspaceID: ann.workspaceId, origin: origin, now: now)

        #expect(try await store.names(ann, KeyListQuery(search: "wx9A")) == ["Nightly export"])  // the new hint, any case
        #expect(try await store.names(ann, KeyListQuery(search: "checkout")) == ["Checkout service"])
        #expect(try await store.names(ann, KeyListQuery(search: "old billing")).isEmpty)
        #expect(try await store.names(ann, KeyListQuery(search: "importer")).isEmpty)
        #expect(try await store.names(ann, KeyListQuery(search: String(renamed.id.value.suffix(6)))) == ["Checkout service"])
        #expect(try await store.names(ann, KeyListQuery(search: #"say "hi""#)).isEmpty)  // quotes cannot break the query
    }

    @Test func aPastedTokenOrKeyIDFindsExactlyItsKeyInBothListReads() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let leaked = try await store.key("Leaked in a gist", in: ann)
        let custom = try await store.key("Custom secret", in: ann)
        try await store.key("Bystander", in: ann)
        let generated = APIKeyToken.generate(for: leaked.id)
        let customToken = try APIKeyToken(keyID: custom.id, customSecret: "our-own_secret-of-30-chars!!")

        for (search, expected) in [
            (generated.value, "Leaked in a gist"), ("Bearer \(generated.value)", "Leaked in a gist"),
            (leaked.id.value, "Leaked in a gist"), (customToken.value, "Custom secret"),
        ] {
            let query = KeyListQuery(search: search)
            #expect(try await store.names(ann, query) == [expected], "\(search.prefix(12))")
            let cursorPage = try await store.database.keys(projectID: ann.id, matching: query, after: nil, limit: 10, now: now)
            #expect(cursorPage.items.map(\.name) == [expected], "the API's list shares the search")
        }
        let bob = try await store.account("bob@example.com")
        #expect(try await store.names(bob, KeyListQuery(search: generated.value)).isEmpty, "another workspace's key")
    }

    @Test func searchNeverReachesAnotherAccountsKeys() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let bob = try await store.account("bob@example.com")
        try await store.key("Shared word", in: ann)
        try await store.key("Shared word too", in: bob)

        #expect(try await store.names(ann, KeyListQuery(search: "shared")) == ["Shared word"])
    }
}

// MARK: - Helpers

extension KeyStore {
    /// Runs one lifecycle action as the console would.
    func apply(_ action: KeyAction, to key: APIKey, in project: ProjectRecord) async throws {
        let accountId = project.workspaceId
        let secret = KeySecrets.Stored(hash: "$argon2id$new", hint: "ks_live_abcd…new0")
        switch action {
        case .activate: try await change(key, in: accountId, .keyActivated) { try $0.activate(with: secret, now: now) }
        case .rotate:
            try await change(key, in: accountId, .keyRotated) { try $0.rotate(to: secret, grace: .oneHour, now: now) }
        case .disable: try await change(key, in: accountId, .keyDisabled) { try $0.disable(now: now) }
        case .enable: try await change(key, in: accountId, .keyEnabled) { try $0.enable(now: now) }
        }
    }
}

extension ProjectRecord {
    /// The user whose personal workspace holds this project.
    func creatorForTests(_ store: KeyStore) async throws -> Int64? {
        try await store.database.workspace(id: workspaceId)?.personalAccountId
    }
}

/// One counted use of `key`.
private func tally(_ key: APIKey, at date: Date, ip: String? = nil) -> UsageTally {
    var tally = UsageTally()
    tally.record(keyID: key.id.value, at: date, ip: ip)
    return tally
}

private func usageRowCount(_ database: any Store) async throws -> Int {
    try await TestStore.rowCount(of: .keyUsage, in: database)
}

extension KeyStoreTests {
    @Test func commitHooksRunInCommitOrderBeforeTheWriteReturns() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Ordered", in: ann)
        final class Seen: Sendable { let names = Mutex<[String]>([]) }
        let seen = Seen()

        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<20 {
                group.addTask {
                    let spec = try KeyDraft(name: "Ordered \(number)").validate(now: now)
                    _ = try await store.database.changeKey(
                        id: key.id.value, workspaceID: ann.workspaceId, audit: .keyUpdated, detail: nil, origin: origin, now: now,
                        committed: { _, after in seen.names.withLock { $0.append(after.name) } }
                    ) { $0.edit(spec, now: now) }
                }
            }
            try await group.waitForAll()
        }

        let names = seen.names.withLock { $0 }
        #expect(names.count == 20)
        #expect(names.last == (try await store.database.key(id: key.id.value))?.name)
        let rollback = Mutex(false)
        await #expect(throws: KeyError.cannotEnable(.active)) {
            try await store.database.changeKey(
                id: key.id.value, workspaceID: ann.workspaceId, audit: .keyEnabled, detail: nil, origin: origin, now: now,
                committed: { _, _ in rollback.withLock { $0 = true } }
            ) { try $0.enable(now: now) }
        }
        #expect(!rollback.withLock { $0 })  // a refused change commits nothing and announces nothing
    }
}
