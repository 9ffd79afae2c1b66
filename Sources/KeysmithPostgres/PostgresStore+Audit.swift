import Foundation
import KeysmithCore
import KeysmithStore
import PostgresNIO

extension PostgresStore: AuditStore {
    public func recordAudit(accountId: Int64, _ event: AuditEvent, origin: RequestOrigin, now: Date) async throws {
        try await write { c in
            try await insert(c, AuditEntryRecord(accountId: accountId, workspaceId: nil, event: event, origin: origin, now: now))
        }
    }

    public func auditEntries(workspaceID: WorkspaceID, page: Int, pageSize: Int) async throws -> Page<AuditEntryRecord> {
        try await auditEntries(workspaceID: workspaceID, matching: AuditQuery(page: page, pageSize: pageSize))
    }

    public func auditEntries(workspaceID: WorkspaceID, matching query: AuditQuery) async throws -> Page<AuditEntryRecord> {
        let offset = (query.page - 1) * query.pageSize
        return try await read { c in
            let total =
                try await c.query(
                    Self.auditEntries("COUNT(*) AS n", workspaceID: workspaceID, matching: query, limit: nil), logger: logger
                ).first { try $0.value("n", as: Int.self) } ?? 0
            let items = try await c.query(
                Self.auditEntries(
                    AuditEntryRecord.columns, workspaceID: workspaceID, matching: query, limit: query.pageSize, offset: offset),
                logger: logger
            ).collect(AuditEntryRecord.init(row:))
            return Page(items: items, totalCount: total, number: query.page, size: query.pageSize)
        }
    }

    public func allAuditEntries(workspaceID: WorkspaceID, matching query: AuditQuery, limit: Int) async throws
        -> [AuditEntryRecord]
    {
        try await read { c in
            try await c.query(
                Self.auditEntries(AuditEntryRecord.columns, workspaceID: workspaceID, matching: query, limit: limit),
                logger: logger
            ).collect(AuditEntryRecord.init(row:))
        }
    }

    public func auditSubjects(of entries: [AuditEntryRecord], workspaceID: WorkspaceID) async throws -> AuditSubjects {
        let subjects = Array(Set(entries.compactMap(\.subject)))
        let adminKeyIDs = Array(Set(subjects + entries.filter { $0.actorType == "admin_key" }.compactMap(\.actorId)))
        guard !adminKeyIDs.isEmpty else { return AuditSubjects() }
        let workspace = workspaceID.value
        return try await read { c in
            func names(_ query: PostgresQuery) async throws -> [String: String] {
                let pairs = try await c.query(query, logger: logger).collect {
                    (try $0.value("id", as: String.self), try $0.value("name", as: String.self))
                }
                return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
            }
            var found = AuditSubjects()
            found.keys = try await names(
                "SELECT id, name FROM api_key WHERE workspace_id = \(workspace) AND id = ANY(\(subjects))")
            found.projects = try await names(
                "SELECT id, name FROM project WHERE workspace_id = \(workspace) AND id = ANY(\(subjects))")
            found.adminKeys = try await names(
                "SELECT id, name FROM admin_key WHERE workspace_id = \(workspace) AND id = ANY(\(adminKeyIDs))")
            // Newest deletion first, so a name reused after a delete still finds the name it had when it went.
            let deleted = subjects.filter { found.keys[$0] == nil }
            found.deletedKeys = try await names(
                """
                SELECT subject AS id, detail AS name FROM audit_entry WHERE workspace_id = \(workspace)
                AND action = 'key.deleted' AND detail IS NOT NULL AND subject = ANY(\(deleted)) ORDER BY id DESC
                """)
            return found
        }
    }

    public func auditEntries(workspaceID: WorkspaceID, before: Int64?, limit: Int) async throws -> (
        items: [AuditEntryRecord], next: Int64?
    ) {
        let items = try await read { c in
            try await c.query(
                """
                SELECT \(unescaped: AuditEntryRecord.columns) FROM audit_entry
                WHERE workspace_id = \(workspaceID.value) AND (\(before)::bigint IS NULL OR id < \(before))
                ORDER BY id DESC LIMIT \(limit + 1)
                """, logger: logger
            ).collect(AuditEntryRecord.init(row:))
        }
        let page = Array(items.prefix(limit))
        return (page, items.count > limit ? page.last?.id : nil)
    }

    public func auditEntries(accountId: Int64, limit: Int) async throws -> [AuditEntryRecord] {
        try await read { c in
            try await c.query(
                """
                SELECT \(unescaped: AuditEntryRecord.columns) FROM audit_entry
                WHERE account_id = \(accountId) AND workspace_id IS NULL ORDER BY id DESC LIMIT \(limit)
                """, logger: logger
            ).collect(AuditEntryRecord.init(row:))
        }
    }

    public func keyNames(workspaceID: WorkspaceID, limit: Int) async throws -> [(id: String, name: String)] {
        try await read { c in
            try await c.query(
                """
                SELECT id, name FROM api_key WHERE workspace_id = \(workspaceID.value) ORDER BY created_at DESC, id LIMIT \(limit)
                """, logger: logger
            ).collect { (try $0.value("id", as: String.self), try $0.value("name", as: String.self)) }
        }
    }

    /// `select` of the workspace's entries narrowed by `query`; newest first and at most `limit` when given.
    private static func auditEntries(
        _ select: String, workspaceID: WorkspaceID, matching query: AuditQuery, limit: Int?, offset: Int = 0
    ) -> PostgresQuery {
        """
        SELECT \(unescaped: select) FROM audit_entry
        WHERE workspace_id = \(workspaceID.value) AND (\(query.subject)::text IS NULL OR subject = \(query.subject))
        AND (\(query.actions)::text[] IS NULL OR action = ANY(\(query.actions)))
        AND (\(query.since)::timestamptz IS NULL OR created_at >= \(query.since))
        AND (\(query.until)::timestamptz IS NULL OR created_at < \(query.until))
        \(unescaped: limit == nil ? "" : "ORDER BY id DESC") LIMIT \(limit) OFFSET \(offset)
        """
    }

    // MARK: Writing entries beside a change

    /// A user's own event; the user is the actor unless the origin already names one.
    func audit(_ c: PostgresConnection, account: AccountRecord, _ event: AuditEvent, origin: RequestOrigin, now: Date)
        async throws
    {
        guard let accountId = account.id else { return }
        let origin = origin.actor == .system ? origin.by(.user(id: accountId, email: account.email)) : origin
        try await insert(c, AuditEntryRecord(accountId: accountId, workspaceId: nil, event: event, origin: origin, now: now))
    }

    /// A change in a workspace, by the origin's actor.
    func audit(_ c: PostgresConnection, workspace: WorkspaceID, _ event: AuditEvent, origin: RequestOrigin, now: Date)
        async throws
    {
        var userId: Int64 = 0
        if case .user(let id, _) = origin.actor { userId = id }
        try await insert(c, AuditEntryRecord(accountId: userId, workspaceId: workspace, event: event, origin: origin, now: now))
    }

    /// A change of a key; the detail defaults to the key's name.
    func audit(
        _ c: PostgresConnection, key: APIKey, _ action: AuditAction, detail: String? = nil, origin: RequestOrigin, now: Date
    ) async throws {
        try await audit(
            c, workspace: key.workspaceID, AuditEvent(action, subject: key.id.value, detail: detail ?? key.name),
            origin: origin, now: now)
    }

    private func insert(_ c: PostgresConnection, _ entry: AuditEntryRecord) async throws {
        try await c.query(
            """
            INSERT INTO audit_entry (account_id, workspace_id, actor_type, actor_id, actor_name, action, subject, detail, ip,
                user_agent, created_at)
            VALUES (\(entry.accountId), \(entry.workspaceId?.value), \(entry.actorType), \(entry.actorId), \(entry.actorName),
                \(entry.action), \(entry.subject), \(entry.detail), \(entry.ip), \(entry.userAgent), \(entry.createdAt))
            """, logger: logger)
    }
}
