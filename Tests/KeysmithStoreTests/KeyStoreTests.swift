import Foundation
import GRDB
import KeysmithCore
import KeysmithStore
import Testing

private let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
private let origin = RequestOrigin(ip: "192.0.2.1", userAgent: "tests")

/// A real SQLite file with one or two accounts, removed when the test ends.
private final class KeyStore: Sendable {
    let temporary: TemporaryDatabase
    let database: AppDatabase

    init() throws {
        temporary = try TemporaryDatabase()
        database = try temporary.open()
    }

    deinit {
        try? database.close()
        temporary.remove()
    }

    func account(_ email: String = "ann@example.com") async throws -> Int64 {
        let account = try await database.createAccount(
            email: EmailAddress(unchecked: email), passwordHash: "h", origin: origin, now: now)
        return try #require(account.id)
    }

    @discardableResult
    func key(
        _ name: String, accountId: Int64, id: String? = nil, activate: Bool = true, draft: KeyDraft = KeyDraft(),
        at time: Date = now
    ) async throws -> APIKeyRecord {
        var draft = draft
        draft.name = name
        let spec = try draft.validate(now: time)
        let keyID = try id.map { try KeyID($0) } ?? KeyID.generate(prefix: .default, environment: spec.environment)
        var record = APIKeyRecord(id: keyID, accountId: accountId, spec: spec, now: time)
        if activate { (record.secretHash, record.hint) = ("$argon2id$fake", keyID.hint(secret: "abcd")) }
        return try await database.createKey(record, activate: activate, origin: origin, now: time)
    }

    func names(_ accountId: Int64, _ query: KeyListQuery, at time: Date = now) async throws -> [String] {
        try await database.keys(accountId: accountId, matching: query, now: time).items.map(\.name).sorted()
    }

    func auditActions(_ accountId: Int64, subject: String) async throws -> [AuditAction?] {
        try await database.auditEntries(accountId: accountId, subject: subject).map(\.auditAction)
    }
}

@Suite struct KeyStoreTests {
    @Test func migrationsCreateTheKeyAndUsageTablesOnAFile() throws {
        let store = try KeyStore()

        let (tables, keyColumns, keyIndexes, usageKeys) = try store.database.reader.read { db in
            (
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"),
                try db.columns(in: "apiKey").map(\.name),
                try db.indexes(on: "apiKey"),
                try db.foreignKeys(on: "keyUsage")
            )
        }

        #expect(Set(tables).isSuperset(of: ["apiKey", "keyUsage"]))
        #expect(
            Set(keyColumns).isSuperset(of: [
                "id", "accountId", "name", "description", "environment", "ownerType", "scopes", "tokenType", "status",
                "secretHash", "hint", "previousSecretHash", "previousSecretExpiresAt", "expiresAt", "ipAllowlist", "rateLimit",
                "quota", "quotaRemaining", "responseHeaders", "meta", "createdAt", "updatedAt", "activatedAt", "lastUsedAt",
                "lastUsedIp",
            ]))
        #expect(keyIndexes.contains { $0.isUnique && $0.columns == ["accountId", "name"] })
        #expect(usageKeys.map(\.destinationTable) == ["apiKey"])
    }

    // MARK: Names

    @Test func nameIsUniquePerAccountAndATakenNameWritesNothing() async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        try await store.key("Billing", accountId: ann)
        let auditBefore = try await store.database.auditEntries(accountId: ann, page: 1).totalCount

        await #expect(throws: KeyError.nameTaken("Billing")) {
            try await store.key("Billing", accountId: ann)
        }

        #expect(try await store.names(ann, KeyListQuery()) == ["Billing"])
        #expect(try await store.database.auditEntries(accountId: ann, page: 1).totalCount == auditBefore)
    }

    @Test func renamingToATakenNameIsNameTakenAndKeepsTheKey() async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        try await store.key("Billing", accountId: ann)
        let other = try await store.key("Mailer", accountId: ann)

        await #expect(throws: KeyError.nameTaken("Billing")) {
            try await store.database.updateKey(
                id: other.id, accountId: ann, with: try KeyDraft(name: "Billing").validate(now: now), origin: origin, now: now)
        }

        #expect(try await store.database.key(id: other.id) == other)
    }

    @Test func sameNameInTwoAccountsIsFine() async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        let bob = try await store.account("bob@example.com")

        try await store.key("Billing", accountId: ann)
        try await store.key("Billing", accountId: bob)

        #expect(try await store.names(ann, KeyListQuery()) == ["Billing"])
        #expect(try await store.names(bob, KeyListQuery()) == ["Billing"])
    }

    // MARK: Lifecycle

    @Test func lifecycleTransitionsChangeTheStatusAndEachLeavesAnAuditEntry() async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Lifecycle", accountId: ann, activate: false)
        let secret = KeySecretUpdate(secretHash: "$argon2id$first", hint: "ks_live_abcd…0001")
        let later = now.addingTimeInterval(60)

        let active = try await store.database.activateKey(id: key.id, accountId: ann, secret: secret, origin: origin, now: later)
        let disabled = try await store.database.disableKey(id: key.id, accountId: ann, origin: origin, now: later)
        let enabled = try await store.database.enableKey(id: key.id, accountId: ann, origin: origin, now: later)
        let rotated = try await store.database.rotateKey(
            id: key.id, accountId: ann, secret: KeySecretUpdate(secretHash: "$argon2id$second", hint: "ks_live_abcd…0002"),
            grace: .oneDay, origin: origin, now: later)

        #expect(key.status == .pending)
        #expect(key.secretHash == nil)
        #expect(active.status == .active)
        #expect(active.activatedAt == later)
        #expect(active.secretHash == "$argon2id$first")
        #expect(disabled.status == .disabled)
        #expect(enabled.status == .active)
        #expect(rotated.secretHash == "$argon2id$second")
        #expect(rotated.previousSecretHash == "$argon2id$first")
        #expect(rotated.previousSecretExpiresAt == later.addingTimeInterval(86_400))
        #expect(rotated.hint == "ks_live_abcd…0002")
        #expect(rotated.updatedAt == later)
        #expect(try await store.database.key(id: key.id) == rotated)
        #expect(
            try await store.auditActions(ann, subject: key.id) == [
                .keyRotated, .keyEnabled, .keyDisabled, .keyActivated, .keyCreated,
            ])
        #expect(try await store.database.auditEntries(accountId: ann, subject: key.id).first?.detail == "grace 24 hours")
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
        let store = try KeyStore()
        let ann = try await store.account()
        var key = try await store.key("Stuck", accountId: ann, activate: from != .pending)
        if from == .disabled { key = try await store.database.disableKey(id: key.id, accountId: ann, origin: origin, now: now) }
        let auditBefore = try await store.auditActions(ann, subject: key.id)

        await #expect(throws: error) {
            try await store.apply(action, to: key.id, accountId: ann)
        }

        #expect(try await store.database.key(id: key.id) == key)
        #expect(try await store.auditActions(ann, subject: key.id) == auditBefore)
    }

    @Test(arguments: [KeyAction.activate, .rotate, .disable, .enable])
    func anotherAccountsKeyIsNotFoundAndUnchanged(_ action: KeyAction) async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        let bob = try await store.account("bob@example.com")
        var key = try await store.key("Ann's", accountId: ann, activate: action != .activate)
        if action == .enable { key = try await store.database.disableKey(id: key.id, accountId: ann, origin: origin, now: now) }

        await #expect(throws: KeyError.notFound) {
            try await store.apply(action, to: key.id, accountId: bob)
        }
        await #expect(throws: KeyError.notFound) {
            try await store.database.deleteKey(id: key.id, accountId: bob, origin: origin, now: now)
        }

        #expect(try await store.database.key(id: key.id, accountId: bob) == nil)
        #expect(try await store.database.key(id: key.id) == key)
        #expect(try await store.database.auditEntries(accountId: bob, subject: key.id).isEmpty)
    }

    @Test func deletingAKeyRemovesItAndItsUsageButKeepsItsAuditEntries() async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Doomed", accountId: ann)
        try await store.database.recordKeyUse(id: key.id, matchedHash: "$argon2id$fake", ip: "203.0.113.7", now: now)

        try await store.database.deleteKey(id: key.id, accountId: ann, origin: origin, now: now)

        #expect(try await store.database.key(id: key.id) == nil)
        #expect(try await usageRowCount(store.database) == 0)
        #expect(try await store.auditActions(ann, subject: key.id) == [.keyDeleted, .keyActivated, .keyCreated])
    }

    @Test func deletingAnAccountDeletesItsKeysAndTheirUsage() async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        let bob = try await store.account("bob@example.com")
        let annsKey = try await store.key("Ann's", accountId: ann)
        let bobsKey = try await store.key("Bob's", accountId: bob)
        try await store.database.recordKeyUse(id: annsKey.id, matchedHash: "$argon2id$fake", ip: nil, now: now)
        try await store.database.recordKeyUse(id: bobsKey.id, matchedHash: "$argon2id$fake", ip: nil, now: now)

        try await store.database.deleteAccount(id: ann, origin: origin, now: now)

        #expect(try await store.database.key(id: annsKey.id) == nil)
        #expect(try await store.database.key(id: bobsKey.id) == bobsKey.with(lastUsedAt: now))
        #expect(try await usageRowCount(store.database) == 1)
    }

    // MARK: Usage

    @Test func usageIsCountedPerUTCDayAndReadAsThirtyZeroFilledDaysOldestFirst() async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Busy", accountId: ann)
        let endOfDay = try #require(ISO8601DateFormatter().date(from: "2027-01-14T23:59:59Z"))
        let startOfDay = endOfDay.addingTimeInterval(2)  // 2027-01-15T00:00:01Z

        for _ in 0..<3 {
            try await store.database.recordKeyUse(id: key.id, matchedHash: "$argon2id$fake", ip: "203.0.113.7", now: endOfDay)
        }
        try await store.database.recordKeyUse(id: key.id, matchedHash: "$argon2id$fake", ip: "2001:db8::1", now: startOfDay)
        let usage = try await store.database.keyUsage(id: key.id, days: 30, now: now)

        #expect(usage.count == 30)
        #expect(usage.first?.day == "2026-12-17")
        #expect(usage.last?.day == "2027-01-15")
        #expect(usage.map(\.day) == usage.map(\.day).sorted())
        #expect(usage.suffix(2).map(\.count) == [3, 1])
        #expect(usage.dropLast(2).allSatisfy { $0.count == 0 })
        let stored = try #require(try await store.database.key(id: key.id))
        #expect(stored.lastUsedAt == startOfDay)
        #expect(stored.lastUsedIp == "2001:db8::1")
    }

    // MARK: Listing

    @Test func expiredIsDerivedFromTheExpiryAtQueryTime() async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        try await store.key("Day pass", accountId: ann, draft: KeyDraft(ttl: "1d"))
        try await store.key("Forever", accountId: ann)
        try await store.key("Pending day pass", accountId: ann, activate: false, draft: KeyDraft(ttl: "1d"))
        let twoDaysLater = now.addingTimeInterval(2 * 86_400)

        #expect(try await store.names(ann, KeyListQuery(status: .expired)).isEmpty)
        #expect(try await store.names(ann, KeyListQuery(status: .active)) == ["Day pass", "Forever"])
        #expect(try await store.names(ann, KeyListQuery(status: .expired), at: twoDaysLater) == ["Day pass", "Pending day pass"])
        #expect(try await store.names(ann, KeyListQuery(status: .active), at: twoDaysLater) == ["Forever"])
        #expect(try await store.names(ann, KeyListQuery(status: .pending), at: twoDaysLater).isEmpty)
        let counts = try await store.database.keyCounts(accountId: ann, now: twoDaysLater)
        #expect(counts == [.active: 1, .pending: 0, .disabled: 0, .expired: 2])
    }

    @Test(arguments: [("%", ["100% uptime"]), ("e_c", ["snake_case"]), ("TREE", ["tree-cat"]), (#"\"#, [#"back\slash"#])])
    func searchTreatsPercentUnderscoreAndBackslashLiterally(search: String, expected: [String]) async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        let names = ["100% uptime", "snake_case", "tree-cat", "plain", #"back\slash"#]
        for (number, name) in names.enumerated() {
            try await store.key(name, accountId: ann, id: "ks_live_000000000000000\(number)", activate: false)
        }

        let found = try await store.names(ann, KeyListQuery(search: search))

        #expect(found == expected)
    }

    @Test func searchIndexFollowsRenamesActivationAndDeletion() async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        let pending = try await store.key("Nightly export", accountId: ann, activate: false)
        let renamed = try await store.key("Old billing name", accountId: ann)
        let deleted = try await store.key("Doomed importer", accountId: ann)

        _ = try await store.database.activateKey(
            id: pending.id, accountId: ann, secret: KeySecretUpdate(secretHash: "$argon2id$fake", hint: "ks_live_Zz9…wX9a"),
            origin: origin, now: now
        )
        _ = try await store.database.updateKey(
            id: renamed.id, accountId: ann, with: try KeyDraft(name: "Checkout service").validate(now: now), origin: origin,
            now: now
        )
        try await store.database.deleteKey(id: deleted.id, accountId: ann, origin: origin, now: now)

        #expect(try await store.names(ann, KeyListQuery(search: "wx9A")) == ["Nightly export"])  // the new hint, any case
        #expect(try await store.names(ann, KeyListQuery(search: "checkout")) == ["Checkout service"])
        #expect(try await store.names(ann, KeyListQuery(search: "old billing")).isEmpty)
        #expect(try await store.names(ann, KeyListQuery(search: "importer")).isEmpty)
        #expect(try await store.names(ann, KeyListQuery(search: String(renamed.id.suffix(6)))) == ["Checkout service"])
        #expect(try await store.names(ann, KeyListQuery(search: #"say "hi""#)).isEmpty)  // quotes cannot break the query
    }

    @Test func searchNeverReachesAnotherAccountsKeys() async throws {
        let store = try KeyStore()
        let ann = try await store.account()
        let bob = try await store.account("bob@example.com")
        try await store.key("Shared word", accountId: ann)
        try await store.key("Shared word too", accountId: bob)

        #expect(try await store.names(ann, KeyListQuery(search: "shared")) == ["Shared word"])
    }
}

// MARK: - Helpers

extension KeyStore {
    /// Runs one lifecycle action as the console would.
    func apply(_ action: KeyAction, to id: String, accountId: Int64) async throws {
        let secret = KeySecretUpdate(secretHash: "$argon2id$new", hint: "ks_live_abcd…new0")
        switch action {
        case .activate: _ = try await database.activateKey(id: id, accountId: accountId, secret: secret, origin: origin, now: now)
        case .rotate:
            _ = try await database.rotateKey(
                id: id, accountId: accountId, secret: secret, grace: .oneHour, origin: origin, now: now)
        case .disable: _ = try await database.disableKey(id: id, accountId: accountId, origin: origin, now: now)
        case .enable: _ = try await database.enableKey(id: id, accountId: accountId, origin: origin, now: now)
        }
    }
}

extension APIKeyRecord {
    fileprivate func with(lastUsedAt: Date) -> APIKeyRecord {
        var copy = self
        copy.lastUsedAt = lastUsedAt
        return copy
    }
}

private func usageRowCount(_ database: AppDatabase) async throws -> Int {
    try await database.reader.read { db in try KeyUsageRecord.fetchCount(db) }
}
