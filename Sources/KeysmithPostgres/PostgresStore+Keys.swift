import Foundation
import KeysmithCore
import KeysmithStore
import PostgresNIO

/// Keys: the same reads and writes as the SQLite store's (see `KeyStore`). Each write's `committed` runs after
/// COMMIT, inside this node's write gate, so the cache learns this node's changes in commit order.
extension PostgresStore: KeyStore {
    public func createKey(
        _ key: APIKey, origin: RequestOrigin, now: Date, committed: @escaping @Sendable (APIKey) -> Void
    ) async throws -> APIKey {
        try await mappingUniqueViolation(to: KeyError.nameTaken(key.name)) {
            try await write { c in
                try await c.query(APIKeyRow.insert(key), logger: logger)
                try await audit(c, key: key, .keyCreated, origin: origin, now: now)
                if key.activatedAt != nil { try await audit(c, key: key, .keyActivated, origin: origin, now: now) }
                if key.status == .disabled { try await audit(c, key: key, .keyDisabled, origin: origin, now: now) }
                return key
            } committed: {
                committed($0)
            }
        }
    }

    public func key(id: String, workspaceID: WorkspaceID) async throws -> APIKey? {
        try await read { c in try await key(c, id: id, workspaceID: workspaceID) }
    }

    public func key(id: String) async throws -> APIKey? {
        try await read { c in
            try await c.query("SELECT \(unescaped: APIKeyRow.columns) FROM api_key WHERE id = \(id)", logger: logger)
                .first(APIKeyRow.key)
        }
    }

    public func allKeyIDs() async throws -> [String] {
        try await read { c in
            try await c.query("SELECT id FROM api_key", logger: logger).collect { try $0.value("id", as: String.self) }
        }
    }

    public func changeKey(
        id: String, workspaceID: WorkspaceID, audit action: AuditAction, detail: String?, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable (_ before: APIKey, _ after: APIKey) -> Void,
        _ change: @Sendable (inout APIKey) throws -> Void
    ) async throws -> APIKey {
        var name = ""
        do {
            return try await write { c in
                guard let before = try await key(c, id: id, workspaceID: workspaceID) else { throw KeyError.notFound }
                var key = before
                try change(&key)
                name = key.name
                try await c.query(APIKeyRow.update(key), logger: logger)
                try await audit(c, key: key, action, detail: detail, origin: origin, now: now)
                return (before, key)
            } committed: {
                committed($0.0, $0.1)
            }.1
        } catch let failure as PSQLError where failure.sqlState == "23505" {
            throw KeyError.nameTaken(name)
        }
    }

    @discardableResult
    public func deleteKey(
        id: String, workspaceID: WorkspaceID, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable (APIKey) -> Void
    ) async throws -> APIKey {
        try await write { c in
            guard let key = try await key(c, id: id, workspaceID: workspaceID) else { throw KeyError.notFound }
            try await audit(c, key: key, .keyDeleted, origin: origin, now: now)
            try await c.query("DELETE FROM api_key WHERE id = \(id)", logger: logger)
            return key
        } committed: {
            committed($0)
        }
    }

    public func upgradeSecretHash(
        id: String, from old: String, to new: String, committed: @escaping @Sendable (APIKey) -> Void
    ) async throws -> APIKey? {
        try await write { c in
            guard
                var key = try await c.query(
                    "SELECT \(unescaped: APIKeyRow.columns) FROM api_key WHERE id = \(id)", logger: logger
                ).first(APIKeyRow.key), key.upgradeSecretHash(from: old, to: new)
            else { return nil }
            try await c.query("UPDATE api_key SET secret_hash = \(new) WHERE id = \(id)", logger: logger)
            return key
        } committed: { key in
            key.map(committed)
        }
    }

    // MARK: Console and API reads

    public func keys(projectID: ProjectID, matching query: KeyListQuery, now: Date) async throws -> Page<APIKey> {
        let order =
            switch query.sort {
            case .created: "created_at DESC, id"
            case .name: "lower(name), id"
            case .lastUsed: "last_used_at DESC NULLS LAST, created_at DESC"
            }
        let offset = (query.page - 1) * query.pageSize
        return try await read { c in
            var total = 0
            let items = try await c.query(
                Self.keys(
                    "\(APIKeyRow.columns), COUNT(*) OVER () AS total_count", projectID: projectID, matching: query, now: now,
                    tail: "ORDER BY \(order)", limit: query.pageSize, offset: offset),
                logger: logger
            ).collect { row in
                total = try row.value("total_count", as: Int.self)
                return try APIKeyRow.key(row)
            }
            if items.isEmpty, query.page > 1 {
                // A page past the end has no rows to carry the count.
                total =
                    try await c.query(
                        Self.keys("COUNT(*) AS total_count", projectID: projectID, matching: query, now: now), logger: logger
                    ).first { try $0.value("total_count", as: Int.self) } ?? 0
            }
            return Page(items: items, totalCount: total, number: query.page, size: query.pageSize)
        }
    }

    public func keys(
        projectID: ProjectID, matching query: KeyListQuery, after cursor: KeyCursor?, limit: Int, now: Date
    ) async throws -> (items: [APIKey], next: KeyCursor?) {
        let records = try await read { c in
            try await c.query(
                Self.keys(
                    APIKeyRow.columns, projectID: projectID, matching: query, now: now, after: cursor,
                    tail: "ORDER BY created_at DESC, id DESC", limit: limit + 1),
                logger: logger
            ).collect(APIKeyRow.key)
        }
        let page = Array(records.prefix(limit))
        let next = records.count > limit ? page.last.map { KeyCursor(createdAt: $0.createdAt, id: $0.id.value) } : nil
        return (page, next)
    }

    public func keyCounts(projectID: ProjectID, now: Date) async throws -> [KeyStatus: Int] {
        let pairs = try await read { c in
            try await c.query(
                """
                SELECT CASE WHEN expires_at IS NOT NULL AND expires_at <= \(now) THEN \(KeyStatus.expired.rawValue)
                    ELSE status END AS effective, COUNT(*) AS n
                FROM api_key WHERE project_id = \(projectID.value) GROUP BY effective
                """, logger: logger
            ).collect { (try $0.value("effective", as: String.self), try $0.value("n", as: Int.self)) }
        }
        var counts = Dictionary(uniqueKeysWithValues: KeyStatus.allCases.map { ($0, 0) })
        for (status, count) in pairs { if let status = KeyStatus(rawValue: status) { counts[status] = count } }
        return counts
    }

    public func auditEntries(workspaceID: WorkspaceID, subject: String, limit: Int) async throws -> [AuditEntryRecord] {
        try await read { c in
            try await c.query(
                """
                SELECT \(unescaped: AuditEntryRecord.columns) FROM audit_entry
                WHERE workspace_id = \(workspaceID.value) AND subject = \(subject) ORDER BY id DESC LIMIT \(limit)
                """, logger: logger
            ).collect(AuditEntryRecord.init(row:))
        }
    }

    // MARK: Helpers

    /// Every console and API read goes through this or `keys(…)`, so no page can list another workspace's keys.
    func key(_ c: PostgresConnection, id: String, workspaceID: WorkspaceID) async throws -> APIKey? {
        try await c.query(
            """
            SELECT \(unescaped: APIKeyRow.columns) FROM api_key WHERE id = \(id) AND workspace_id = \(workspaceID.value)
            """, logger: logger
        ).first(APIKeyRow.key)
    }

    /// `select` of the project's keys narrowed by the query's search and filters (and, for the API, after `cursor`),
    /// then `tail` (the order) and the page.
    private static func keys(
        _ select: String, projectID: ProjectID, matching query: KeyListQuery, now: Date, after cursor: KeyCursor? = nil,
        tail: String = "", limit: Int? = nil, offset: Int = 0
    ) -> PostgresQuery {
        // A pasted token holds a secret no index has; its key id finds the key (the primary key, exactly).
        let keyID = query.searchedKeyID?.value
        let pattern = keyID == nil ? query.searchText.map(Self.substringPattern) : nil
        let status = query.status?.rawValue
        return """
            SELECT \(unescaped: select) FROM api_key WHERE project_id = \(projectID.value)
            AND (\(keyID)::text IS NULL OR id = \(keyID))
            AND (\(pattern)::text IS NULL OR name ILIKE \(pattern) OR description ILIKE \(pattern) OR hint ILIKE \(pattern)
                OR id ILIKE \(pattern))
            AND (\(query.environment?.rawValue)::text IS NULL OR environment = \(query.environment?.rawValue))
            AND (\(status)::text IS NULL
                OR (\(status) = \(KeyStatus.expired.rawValue) AND expires_at IS NOT NULL AND expires_at <= \(now))
                OR (status = \(status) AND (expires_at IS NULL OR expires_at > \(now))))
            AND (\(cursor?.createdAt)::timestamptz(3) IS NULL OR created_at < \(cursor?.createdAt)::timestamptz(3)
                OR (created_at = \(cursor?.createdAt)::timestamptz(3) AND id < \(cursor?.id)))
            \(unescaped: tail) LIMIT \(limit) OFFSET \(offset)
            """
    }

    /// `%text%` for ILIKE, with the pattern characters in `text` matched as themselves.
    private static func substringPattern(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
        return "%" + escaped + "%"
    }
}
