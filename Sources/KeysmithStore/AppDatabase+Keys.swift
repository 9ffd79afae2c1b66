import Foundation
import GRDB
import KeysmithCore

extension AppDatabase {
    /// Stores a new key with its audit entries: pending, or active when `activate` (the key then carries its secret's
    /// hash). A name already used in the account is `KeyError.nameTaken`.
    public func createKey(_ key: APIKeyRecord, activate: Bool, origin: RequestOrigin, now: Date) async throws -> APIKeyRecord {
        try await mappingNameConflicts(key.name) {
            try await writer.write { db in
                var key = key
                try key.insert(db)
                try Self.audit(db, key: key, .keyCreated, origin: origin, now: now)
                if activate {
                    key.status = try key.status.applying(.activate)
                    key.activatedAt = now
                    try key.update(db)
                    try Self.audit(db, key: key, .keyActivated, origin: origin, now: now)
                }
                return key
            }
        }
    }

    /// One of the account's keys; another account's id is simply not found.
    public func key(id: String, accountId: Int64) async throws -> APIKeyRecord? {
        try await writer.read { db in try APIKeyRecord.all().owned(by: accountId).filter(key: id).fetchOne(db) }
    }

    /// Any account's key, for verification, where the presented secret is the credential.
    public func key(id: String) async throws -> APIKeyRecord? {
        try await writer.read { db in try APIKeyRecord.fetchOne(db, key: id) }
    }

    public func keys(accountId: Int64, matching query: KeyListQuery, now: Date) async throws -> Page<APIKeyRecord> {
        try await writer.read { db in
            var request = Self.keys(accountId: accountId, matching: query, now: now)
            switch query.sort {
            case .created: request = request.order(APIKeyRecord.Columns.createdAt.desc, APIKeyRecord.Columns.id)
            case .name: request = request.order(APIKeyRecord.Columns.name.collating(.nocase))
            // SQLite sorts NULL lowest, so never-used keys come last in descending order.
            case .lastUsed: request = request.order(APIKeyRecord.Columns.lastUsedAt.desc, APIKeyRecord.Columns.createdAt.desc)
            }
            let page = request.limit(query.pageSize, offset: (query.page - 1) * query.pageSize)
            let items: [APIKeyRecord]
            var total: Int?
            if query.isSearch {
                // A search scans the account's keys anyway: count them in the same pass instead of a second one.
                let rows = try Row.fetchAll(db, page.select(sql: "*, COUNT(*) OVER () AS totalCount").asRequest(of: Row.self))
                items = try rows.map { try APIKeyRecord(row: $0) }
                total = rows.first?["totalCount"]
            } else {
                items = try page.fetchAll(db)
            }
            let totalCount = try total ?? request.fetchCount(db)
            return Page(items: items, totalCount: totalCount, number: query.page, size: query.pageSize)
        }
    }

    /// Newest first from `cursor` on, for the API; `next` continues after the last item, nil at the end.
    public func keys(accountId: Int64, matching query: KeyListQuery, after cursor: KeyCursor?, limit: Int, now: Date) async throws
        -> (items: [APIKeyRecord], next: KeyCursor?)
    {
        try await writer.read { db in
            var request = Self.keys(accountId: accountId, matching: query, now: now)
            if let cursor {
                let createdAt = APIKeyRecord.Columns.createdAt
                request = request.filter(
                    createdAt < cursor.createdAt || (createdAt == cursor.createdAt && APIKeyRecord.Columns.id < cursor.id))
            }
            let items = try request.order(APIKeyRecord.Columns.createdAt.desc, APIKeyRecord.Columns.id.desc).limit(limit + 1)
                .fetchAll(db)
            let page = Array(items.prefix(limit))
            let next = items.count > limit ? page.last.map { KeyCursor(createdAt: $0.createdAt, id: $0.id) } : nil
            return (page, next)
        }
    }

    /// The account's keys narrowed by the query's search and filters; sorting and paging are the caller's.
    private static func keys(accountId: Int64, matching query: KeyListQuery, now: Date) -> QueryInterfaceRequest<APIKeyRecord> {
        var request = APIKeyRecord.all().owned(by: accountId)
        if query.isSearch, let search = query.search?.trimmingCharacters(in: .whitespaces) {
            if search.count >= 3 {
                // Trigram index (three characters and up): a quoted phrase matches any substring, ignoring case.
                let phrase = "\"" + search.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                request = request.filter(
                    sql: "apiKey.rowid IN (SELECT rowid FROM apiKeySearch WHERE apiKeySearch MATCH ?)", arguments: [phrase])
            } else {
                let escaped = search.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                    .replacingOccurrences(of: "_", with: "\\_")
                let pattern = "%" + escaped + "%"
                request = request.filter(
                    sql:
                        "(name LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\' OR hint LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')",
                    arguments: [pattern, pattern, pattern, pattern]
                )
            }
        }
        if let environment = query.environment {
            request = request.filter(APIKeyRecord.Columns.environment == environment.rawValue)
        }
        if let status = query.status {
            request = request.having(effectiveStatus: status, now: now)
        }
        return request
    }

    /// How many keys the account has in each effective status, for the account summary.
    public func keyCounts(accountId: Int64, now: Date) async throws -> [KeyStatus: Int] {
        try await writer.read { db in
            var counts: [KeyStatus: Int] = [:]
            for status in KeyStatus.allCases {
                counts[status] = try APIKeyRecord.all().owned(by: accountId).having(effectiveStatus: status, now: now).fetchCount(
                    db)
            }
            return counts
        }
    }

    /// Applies the editable fields; `keepingExpiry` leaves the stored expiry as it is, whatever `spec` says.
    public func updateKey(
        id: String, accountId: Int64, with spec: KeySpec, keepingExpiry: Bool = false, origin: RequestOrigin, now: Date
    ) async throws -> APIKeyRecord {
        try await mappingNameConflicts(spec.name) {
            try await modifyKey(id: id, accountId: accountId, audit: .keyUpdated, origin: origin, now: now) { key in
                let expiresAt = key.expiresAt
                key.apply(spec, now: now)
                if keepingExpiry { key.expiresAt = expiresAt }
            }
        }
    }

    /// pending → active with its first secret.
    public func activateKey(id: String, accountId: Int64, secret: KeySecretUpdate, origin: RequestOrigin, now: Date) async throws
        -> APIKeyRecord
    {
        try await modifyKey(id: id, accountId: accountId, audit: .keyActivated, origin: origin, now: now) { key in
            key.status = try key.status.applying(.activate)
            (key.secretHash, key.hint, key.activatedAt) = (secret.secretHash, secret.hint, now)
        }
    }

    /// A new secret; the old one keeps working until `grace` has passed (not at all for `.immediately`).
    public func rotateKey(
        id: String, accountId: Int64, secret: KeySecretUpdate, grace: RotationGrace, origin: RequestOrigin, now: Date
    ) async throws -> APIKeyRecord {
        try await modifyKey(
            id: id, accountId: accountId, audit: .keyRotated, detail: "grace \(grace.title)", origin: origin, now: now
        ) {
            key in
            key.status = try key.status.applying(.rotate)
            if grace == .immediately {
                (key.previousSecretHash, key.previousSecretExpiresAt) = (nil, nil)
            } else {
                (key.previousSecretHash, key.previousSecretExpiresAt) = (key.secretHash, grace.oldSecretExpiry(rotatedAt: now))
            }
            (key.secretHash, key.hint) = (secret.secretHash, secret.hint)
        }
    }

    public func disableKey(id: String, accountId: Int64, origin: RequestOrigin, now: Date) async throws -> APIKeyRecord {
        try await modifyKey(id: id, accountId: accountId, audit: .keyDisabled, origin: origin, now: now) { key in
            key.status = try key.status.applying(.disable)
        }
    }

    public func enableKey(id: String, accountId: Int64, origin: RequestOrigin, now: Date) async throws -> APIKeyRecord {
        try await modifyKey(id: id, accountId: accountId, audit: .keyEnabled, origin: origin, now: now) { key in
            key.status = try key.status.applying(.enable)
        }
    }

    /// Removes the key and its usage; its audit entries stay.
    public func deleteKey(id: String, accountId: Int64, origin: RequestOrigin, now: Date) async throws {
        try await writer.write { db in
            let key = try Self.ownedKey(db, id: id, accountId: accountId)
            try Self.audit(db, key: key, .keyDeleted, origin: origin, now: now)
            try key.delete(db)
        }
    }

    /// Counts one verified use — per-day usage, last-used time and address — and takes one unit of the key's quota,
    /// refilling it first when a monthly refill is due. All in one transaction: concurrent uses never overdraw.
    ///
    /// `matchedHash` is the hash the secret was checked against (Argon2 takes milliseconds, outside any
    /// transaction): if meanwhile the key was deleted, disabled, expired or re-secreted, the use is `.revoked`.
    public func recordKeyUse(id: String, matchedHash: String, ip: String?, now: Date) async throws -> QuotaOutcome {
        let day = KeyUsageDay.string(for: now)
        return try await writer.write { db in
            guard var key = try APIKeyRecord.fetchOne(db, key: id), key.effectiveStatus(now: now) == .active,
                key.secretHash == matchedHash
                    || (key.previousSecretHash == matchedHash && (key.previousSecretExpiresAt.map { now < $0 } ?? false))
            else { return .revoked }
            var outcome = QuotaOutcome.unlimited
            if let quota = key.quota {
                let refillDue = key.quotaRefilledAt.map { now >= QuotaRefill.monthly.nextRefill(after: $0) } ?? true
                if quota.refill == .monthly, refillDue {
                    (key.quotaRemaining, key.quotaRefilledAt) = (quota.remaining, now)
                }
                let left = key.quotaRemaining ?? quota.remaining
                guard left > 0 else {
                    try key.update(db, columns: ["quotaRemaining", "quotaRefilledAt"])
                    return .exhausted(
                        refillsAt: quota.refill == .monthly ? key.quotaRefilledAt.map(QuotaRefill.monthly.nextRefill) : nil)
                }
                key.quotaRemaining = left - 1
                outcome = .remaining(left - 1)
            }
            (key.lastUsedAt, key.lastUsedIp) = (now, ip)
            try key.update(
                db,
                columns: ["lastUsedAt", "lastUsedIp", "quotaRemaining", "quotaRefilledAt"]
            )
            try db.execute(
                sql: """
                    INSERT INTO keyUsage (keyId, day, count) VALUES (?, ?, 1)
                    ON CONFLICT (keyId, day) DO UPDATE SET count = count + 1
                    """,
                arguments: [id, day]
            )
            return outcome
        }
    }

    /// Stores a hash made with today's Argon2 parameters, unless the secret changed meanwhile.
    public func upgradeSecretHash(id: String, from old: String, to new: String) async throws {
        _ = try await writer.write { db in
            try APIKeyRecord.filter(key: id).filter(Column("secretHash") == old).updateAll(db, Column("secretHash").set(to: new))
        }
    }

    /// Requests per day for the last `days` days up to `now`, oldest first, zero-filled.
    public func keyUsage(id: String, days: Int, now: Date) async throws -> [(day: String, count: Int)] {
        let dayStrings = KeyUsageDay.lastDays(days, endingAt: now)
        let stored = try await writer.read { db in
            try KeyUsageRecord.filter(KeyUsageRecord.Columns.keyId == id && dayStrings.contains(KeyUsageRecord.Columns.day))
                .fetchAll(db)
        }
        let counts = Dictionary(stored.map { ($0.day, $0.count) }, uniquingKeysWith: +)
        return dayStrings.map { ($0, counts[$0] ?? 0) }
    }

    /// The key's own audit trail, newest first.
    public func auditEntries(accountId: Int64, subject: String, limit: Int = 50) async throws -> [AuditEntryRecord] {
        try await writer.read { db in
            try AuditEntryRecord.filter(AuditEntryRecord.Columns.accountId == accountId && Column("subject") == subject)
                .order(AuditEntryRecord.Columns.id.desc).limit(limit).fetchAll(db)
        }
    }

    private func modifyKey(
        id: String, accountId: Int64, audit action: AuditAction, detail: String? = nil, origin: RequestOrigin, now: Date,
        _ change: @Sendable @escaping (inout APIKeyRecord) throws -> Void
    ) async throws -> APIKeyRecord {
        try await writer.write { db in
            var key = try Self.ownedKey(db, id: id, accountId: accountId)
            try change(&key)
            key.updatedAt = now
            try key.update(db)
            try Self.audit(db, key: key, action, detail: detail, origin: origin, now: now)
            return key
        }
    }

    private func mappingNameConflicts<T>(_ name: String, _ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw KeyError.nameTaken(name)
        }
    }

    private static func ownedKey(_ db: Database, id: String, accountId: Int64) throws -> APIKeyRecord {
        guard let key = try APIKeyRecord.all().owned(by: accountId).filter(key: id).fetchOne(db) else { throw KeyError.notFound }
        return key
    }

    private static func audit(
        _ db: Database, key: APIKeyRecord, _ action: AuditAction, detail: String? = nil, origin: RequestOrigin, now: Date
    ) throws {
        var entry = AuditEntryRecord(
            accountId: key.accountId, event: AuditEvent(action, subject: key.id, detail: detail ?? key.name), origin: origin,
            now: now
        )
        try entry.insert(db)
    }
}

extension DerivableRequest<APIKeyRecord> {
    /// Every console query starts here, so no page can list another account's keys.
    func owned(by accountId: Int64) -> Self { filter(APIKeyRecord.Columns.accountId == accountId) }

    /// Keys whose derived status is `status` at `now` (expiry wins over the stored status).
    func having(effectiveStatus status: KeyStatus, now: Date) -> Self {
        let expired = APIKeyRecord.Columns.expiresAt != nil && APIKeyRecord.Columns.expiresAt <= now
        switch status {
        case .expired: return filter(expired)
        default: return filter(APIKeyRecord.Columns.status == status.rawValue && !expired)
        }
    }
}
