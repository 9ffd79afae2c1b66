import Foundation
import GRDB
import KeysmithCore
import KeysmithStore

/// Keys: reads for the console, the API and the verification cache, and the writes `KeyWriter` (KeysmithServer)
/// makes. Every write is one transaction with its audit entry; the rules of each change are `APIKey`'s.
///
/// Each write takes a `committed` closure, run once its transaction has committed, on the store's one writer and so
/// in commit order, before the method returns: the verification cache learns of changes in the order they happened,
/// never an older state after a newer one.
extension SQLiteStore {
    /// Stores a new key with its audit entries (created, and activated when it already is). A name already used in
    /// the project is `KeyError.nameTaken`.
    public func createKey(
        _ key: APIKey, origin: RequestOrigin, now: Date, committed: @escaping @Sendable (APIKey) -> Void
    ) async throws -> APIKey {
        try await mappingUniqueViolation(to: KeyError.nameTaken(key.name)) {
            try await writer.write { db in
                try APIKeyRecord(key).insert(db)
                try Self.audit(db, key: key, .keyCreated, origin: origin, now: now)
                if key.activatedAt != nil { try Self.audit(db, key: key, .keyActivated, origin: origin, now: now) }
                if key.status == .disabled { try Self.audit(db, key: key, .keyDisabled, origin: origin, now: now) }
                db.afterNextTransaction { _ in committed(key) }
                return key
            }
        }
    }

    /// One of the workspace's keys; another workspace's id is simply not found.
    public func key(id: String, workspaceID: WorkspaceID) async throws -> APIKey? {
        try await writer.read { db in try APIKeyRecord.all().inWorkspace(workspaceID).filter(key: id).fetchOne(db)?.key() }
    }

    /// Any workspace's key, for verification, where the presented secret is the credential.
    public func key(id: String) async throws -> APIKey? {
        try await writer.read { db in try APIKeyRecord.fetchOne(db, key: id)?.key() }
    }

    /// Every key id, for the verification cache's filter of ids that exist.
    public func allKeyIDs() async throws -> [String] {
        try await writer.read { db in try String.fetchAll(db, sql: "SELECT id FROM apiKey") }
    }

    /// Applies `change` (one of `APIKey`'s rules) to one of the workspace's keys and records `action`, in one
    /// transaction: a change the rules refuse, a name conflict or a vanished key leaves everything as it was.
    /// `committed` gets the key as it was inside the transaction and as it is now.
    public func changeKey(
        id: String, workspaceID: WorkspaceID, audit action: AuditAction, detail: String?, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable (_ before: APIKey, _ after: APIKey) -> Void,
        _ change: @Sendable (inout APIKey) throws -> Void
    ) async throws -> APIKey {
        try await writer.write { db in
            guard let record = try APIKeyRecord.all().inWorkspace(workspaceID).filter(key: id).fetchOne(db) else {
                throw KeyError.notFound
            }
            let before = try record.key()
            var key = before
            try change(&key)
            do {
                try APIKeyRecord(key).update(db)
            } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
                throw KeyError.nameTaken(key.name)
            }
            try Self.audit(db, key: key, action, detail: detail, origin: origin, now: now)
            let after = key
            db.afterNextTransaction { _ in committed(before, after) }
            return key
        }
    }

    /// Removes the key and its usage; its audit entries stay.
    @discardableResult
    public func deleteKey(
        id: String, workspaceID: WorkspaceID, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable (APIKey) -> Void
    ) async throws -> APIKey {
        try await writer.write { db in
            guard let record = try APIKeyRecord.all().inWorkspace(workspaceID).filter(key: id).fetchOne(db) else {
                throw KeyError.notFound
            }
            let key = try record.key()
            try Self.audit(db, key: key, .keyDeleted, origin: origin, now: now)
            try record.delete(db)
            db.afterNextTransaction { _ in committed(key) }
            return key
        }
    }

    /// Stores a hash made with today's Argon2 parameters, unless the secret changed meanwhile; not an audited change.
    public func upgradeSecretHash(
        id: String, from old: String, to new: String, committed: @escaping @Sendable (APIKey) -> Void
    ) async throws -> APIKey? {
        try await writer.write { db in
            guard var key = try APIKeyRecord.fetchOne(db, key: id)?.key(), key.upgradeSecretHash(from: old, to: new) else {
                return nil
            }
            try APIKeyRecord(key).update(db, columns: [APIKeyRecord.CodingKeys.secretHash.rawValue])
            let upgraded = key
            db.afterNextTransaction { _ in committed(upgraded) }
            return key
        }
    }

    // MARK: Quota leases and usage (the hot path's writes)

    /// Takes a slice of the key's quota out of the store for the hot path to spend in memory (DESIGN §7.6), refilling
    /// the balance first when a monthly refill is due. nil when the key is gone or has no quota.
    public func leaseQuota(id: String, maxSlice: Int, now: Date) async throws -> QuotaLease? {
        try await writer.write { db in
            guard var key = try APIKeyRecord.fetchOne(db, key: id)?.key(),
                let lease = key.leaseQuota(maxSlice: maxSlice, now: now)
            else { return nil }
            try APIKeyRecord(key).update(db, columns: ["quotaRemaining", "quotaRefilledAt"])
            return lease
        }
    }

    /// Gives unspent lease units back (at clean shutdown). Units of a period that has since been refilled or edited,
    /// and units of deleted keys, are dropped.
    public func returnQuota(_ leases: [(keyID: String, lease: QuotaLease)]) async throws {
        guard !leases.isEmpty else { return }
        try await writer.write { db in
            for (keyID, lease) in leases where lease.units > 0 {
                guard var key = try APIKeyRecord.fetchOne(db, key: keyID)?.key() else { continue }
                key.returnQuota(lease.units, leasedIn: lease.period)
                try APIKeyRecord(key).update(db, columns: ["quotaRemaining"])
            }
        }
    }

    /// Writes a batch of counted uses in one transaction: per-day outcomes, gates and client addresses added, last use
    /// kept when newer. Uses of keys deleted meanwhile are dropped. A day's gates and addresses stay within
    /// `UsageTally.placeLimit` across batches too: past it, a new one is added to the catch-all row.
    public func recordUsage(_ tally: UsageTally) async throws {
        guard !tally.isEmpty else { return }
        try await writer.write { db in
            let addOutcomes = try db.cachedStatement(
                sql: """
                    INSERT INTO keyUsage (keyId, day, count, refused, rateLimited)
                    SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM apiKey WHERE id = ?1)
                    ON CONFLICT (keyId, day) DO UPDATE SET count = count + excluded.count,
                        refused = refused + excluded.refused, rateLimited = rateLimited + excluded.rateLimited
                    """)
            let addGate = try db.cachedStatement(
                sql: """
                    INSERT INTO keyUsageGate (keyId, day, gate, scope, count, lastSeenAt)
                    SELECT ?1, ?2, ?3,
                        CASE WHEN EXISTS (SELECT 1 FROM keyUsageGate WHERE keyId = ?1 AND day = ?2 AND gate = ?3 AND scope = ?4)
                            OR (SELECT COUNT(*) FROM keyUsageGate WHERE keyId = ?1 AND day = ?2 AND scope != ?7) < ?8
                        THEN ?4 ELSE ?7 END, ?5, ?6
                    WHERE EXISTS (SELECT 1 FROM apiKey WHERE id = ?1)
                    ON CONFLICT (keyId, day, gate, scope) DO UPDATE SET count = count + excluded.count,
                        lastSeenAt = max(lastSeenAt, excluded.lastSeenAt)
                    """)
            let addClient = try db.cachedStatement(
                sql: """
                    INSERT INTO keyUsageClient (keyId, day, ip, count, lastSeenAt)
                    SELECT ?1, ?2,
                        CASE WHEN EXISTS (SELECT 1 FROM keyUsageClient WHERE keyId = ?1 AND day = ?2 AND ip = ?3)
                            OR (SELECT COUNT(*) FROM keyUsageClient WHERE keyId = ?1 AND day = ?2 AND ip != ?6) < ?7
                        THEN ?3 ELSE ?6 END, ?4, ?5
                    WHERE EXISTS (SELECT 1 FROM apiKey WHERE id = ?1)
                    ON CONFLICT (keyId, day, ip) DO UPDATE SET count = count + excluded.count,
                        lastSeenAt = max(lastSeenAt, excluded.lastSeenAt)
                    """)
            let limit = UsageTally.placeLimit
            for (keyDay, day) in tally.days {
                let (id, dayText) = (keyDay.keyID, keyDay.dayText)
                let outcomes = day.outcomes
                try addOutcomes.execute(arguments: [id, dayText, outcomes.valid, outcomes.refused, outcomes.rateLimited])
                for (place, seen) in day.gates {
                    try addGate.execute(
                        arguments: [
                            id, dayText, place.gate.rawValue, place.scope, seen.count, seen.last, UsageTally.otherScope, limit,
                        ])
                }
                for (ip, seen) in day.clients {
                    try addClient.execute(arguments: [id, dayText, ip, seen.count, seen.last, UsageTally.otherClients, limit])
                }
            }
            let markUsed = try db.cachedStatement(
                sql: "UPDATE apiKey SET lastUsedAt = ?, lastUsedIp = ? WHERE id = ? AND (lastUsedAt IS NULL OR lastUsedAt <= ?)")
            for (keyID, use) in tally.lastUses {
                try markUsed.execute(arguments: [use.at, use.ip, keyID, use.at])
            }
        }
    }

    // MARK: Console and API reads

    public func keys(projectID: ProjectID, matching query: KeyListQuery, now: Date) async throws -> Page<APIKey> {
        try await writer.read { db in
            var request = Self.keys(projectID: projectID, matching: query, now: now)
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
                // A search scans the project's keys anyway: count them in the same pass instead of a second one.
                let rows = try Row.fetchAll(db, page.select(sql: "*, COUNT(*) OVER () AS totalCount").asRequest(of: Row.self))
                items = try rows.map { try APIKeyRecord(row: $0) }
                total = rows.first?["totalCount"]
            } else {
                items = try page.fetchAll(db)
            }
            let totalCount = try total ?? request.fetchCount(db)
            return Page(items: try items.map { try $0.key() }, totalCount: totalCount, number: query.page, size: query.pageSize)
        }
    }

    /// Newest first from `cursor` on, for the API; `next` continues after the last item, nil at the end.
    public func keys(
        projectID: ProjectID, matching query: KeyListQuery, after cursor: KeyCursor?, limit: Int, now: Date
    ) async throws -> (items: [APIKey], next: KeyCursor?) {
        try await writer.read { db in
            var request = Self.keys(projectID: projectID, matching: query, now: now)
            if let cursor {
                let createdAt = APIKeyRecord.Columns.createdAt
                request = request.filter(
                    createdAt < cursor.createdAt || (createdAt == cursor.createdAt && APIKeyRecord.Columns.id < cursor.id))
            }
            let records = try request.order(APIKeyRecord.Columns.createdAt.desc, APIKeyRecord.Columns.id.desc).limit(limit + 1)
                .fetchAll(db)
            let page = try records.prefix(limit).map { try $0.key() }
            let next = records.count > limit ? page.last.map { KeyCursor(createdAt: $0.createdAt, id: $0.id.value) } : nil
            return (page, next)
        }
    }

    /// The project's keys narrowed by the query's search and filters; sorting and paging are the caller's.
    private static func keys(projectID: ProjectID, matching query: KeyListQuery, now: Date) -> QueryInterfaceRequest<APIKeyRecord>
    {
        var request = APIKeyRecord.all().inProject(projectID)
        if let keyID = query.searchedKeyID {
            // A pasted token holds a secret no index has; its key id finds the key (the primary key, exactly).
            request = request.filter(APIKeyRecord.Columns.id == keyID.value)
        } else if let search = query.searchText {
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

    /// How many keys the project has in each effective status, for summaries.
    public func keyCounts(projectID: ProjectID, now: Date) async throws -> [KeyStatus: Int] {
        try await writer.read { db in
            var counts: [KeyStatus: Int] = [:]
            for status in KeyStatus.allCases {
                counts[status] = try APIKeyRecord.all().inProject(projectID).having(effectiveStatus: status, now: now)
                    .fetchCount(db)
            }
            return counts
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

    /// Requests per day by outcome for the last `days` days up to `now`, oldest first, zero-filled.
    public func dailyUsage(id: String, days: Int, now: Date) async throws -> [DailyUsage] {
        let dayStrings = KeyUsageDay.lastDays(days, endingAt: now)
        // Rows are not Sendable: decoded inside the read, so the read is the asynchronous one and blocks no thread.
        let stored = try await writer.read { db in
            var stored: [String: UsageTally.Outcomes] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT day, count, refused, rateLimited FROM keyUsage
                    WHERE keyId = ? AND day >= ? AND day <= ?
                    """, arguments: [id, dayStrings.first ?? "", dayStrings.last ?? ""])
            while let row = try rows.next() {
                stored[row["day"]] = UsageTally.Outcomes(
                    valid: row["count"], refused: row["refused"], rateLimited: row["rateLimited"])
            }
            return stored
        }
        return dayStrings.map { DailyUsage(day: $0, outcomes: stored[$0] ?? UsageTally.Outcomes()) }
    }

    /// Where the key was presented over the last `days` days up to `now`: each gate and scope, and the `clientLimit`
    /// busiest client addresses, busiest first.
    public func usagePlaces(id: String, days: Int, clientLimit: Int, now: Date) async throws
        -> (gates: [GateUsage], clients: [ClientUsage])
    {
        let since = KeyUsageDay.lastDays(days, endingAt: now).first ?? ""
        return try await writer.read { db in
            let gates = try Row.fetchAll(
                db,
                sql: """
                    SELECT gate, scope, SUM(count) AS total, MAX(lastSeenAt) AS lastSeen FROM keyUsageGate
                    WHERE keyId = ? AND day >= ? GROUP BY gate, scope ORDER BY total DESC, gate, scope
                    """, arguments: [id, since]
            ).compactMap { row -> GateUsage? in
                guard let gate = UsageGate(rawValue: row["gate"]), let lastSeen: Date = row["lastSeen"] else { return nil }
                return GateUsage(gate: gate, scope: row["scope"], count: row["total"], lastSeen: lastSeen)
            }
            let clients = try Row.fetchAll(
                db,
                sql: """
                    SELECT ip, SUM(count) AS total, MAX(lastSeenAt) AS lastSeen FROM keyUsageClient
                    WHERE keyId = ? AND day >= ? GROUP BY ip ORDER BY total DESC, ip LIMIT ?
                    """, arguments: [id, since, clientLimit]
            ).compactMap { row -> ClientUsage? in
                guard let lastSeen: Date = row["lastSeen"] else { return nil }
                return ClientUsage(ip: row["ip"], count: row["total"], lastSeen: lastSeen)
            }
            return (gates, clients)
        }
    }

    /// The key's own audit trail, newest first.
    public func auditEntries(workspaceID: WorkspaceID, subject: String, limit: Int) async throws -> [AuditEntryRecord] {
        try await writer.read { db in
            try AuditEntryRecord.filter(
                AuditEntryRecord.Columns.workspaceId == workspaceID.value && AuditEntryRecord.Columns.subject == subject
            )
            .order(AuditEntryRecord.Columns.id.desc).limit(limit).fetchAll(db)
        }
    }

    // MARK: Helpers

    static func audit(
        _ db: Database, key: APIKey, _ action: AuditAction, detail: String? = nil, origin: RequestOrigin, now: Date
    ) throws {
        try audit(
            db, workspace: key.workspaceID, AuditEvent(action, subject: key.id.value, detail: detail ?? key.name),
            origin: origin, now: now)
    }
}

extension DerivableRequest<APIKeyRecord> {
    /// Every console and API query starts with one of these, so no page can list another workspace's keys.
    func inWorkspace(_ workspaceID: WorkspaceID) -> Self { filter(APIKeyRecord.Columns.workspaceId == workspaceID.value) }

    func inProject(_ projectID: ProjectID) -> Self { filter(APIKeyRecord.Columns.projectId == projectID.value) }

    /// Keys whose derived status is `status` at `now` (expiry wins over the stored status).
    func having(effectiveStatus status: KeyStatus, now: Date) -> Self {
        let expired = APIKeyRecord.Columns.expiresAt != nil && APIKeyRecord.Columns.expiresAt <= now
        switch status {
        case .expired: return filter(expired)
        default: return filter(APIKeyRecord.Columns.status == status.rawValue && !expired)
        }
    }
}
