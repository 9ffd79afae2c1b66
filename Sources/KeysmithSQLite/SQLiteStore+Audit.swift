import Foundation
import GRDB
import KeysmithCore
import KeysmithStore

extension SQLiteStore {
    /// Writes a user's own event that changes nothing else, such as a failed sign-in.
    public func recordAudit(accountId: Int64, _ event: AuditEvent, origin: RequestOrigin, now: Date) async throws {
        try await writer.write { db in
            var entry = AuditEntryRecord(accountId: accountId, workspaceId: nil, event: event, origin: origin, now: now)
            try entry.insert(db)
        }
    }

    /// The workspace's audit log, newest first.
    public func auditEntries(workspaceID: WorkspaceID, page: Int, pageSize: Int) async throws -> Page<AuditEntryRecord> {
        try await auditEntries(workspaceID: workspaceID, matching: AuditQuery(page: page, pageSize: pageSize))
    }

    /// One page of the workspace's audit log narrowed by `query`, newest first.
    public func auditEntries(workspaceID: WorkspaceID, matching query: AuditQuery) async throws -> Page<AuditEntryRecord> {
        try await writer.read { db in
            let request = Self.auditEntries(workspaceID: workspaceID, matching: query)
            let total = try request.fetchCount(db)
            let items = try request.order(AuditEntryRecord.Columns.id.desc)
                .limit(query.pageSize, offset: (query.page - 1) * query.pageSize)
                .fetchAll(db)
            return Page(items: items, totalCount: total, number: query.page, size: query.pageSize)
        }
    }

    /// Every entry `query` matches (its page ignored), newest first, at most `limit`: the CSV export.
    public func allAuditEntries(workspaceID: WorkspaceID, matching query: AuditQuery, limit: Int) async throws
        -> [AuditEntryRecord]
    {
        try await writer.read { db in
            try Self.auditEntries(workspaceID: workspaceID, matching: query).order(AuditEntryRecord.Columns.id.desc)
                .limit(limit).fetchAll(db)
        }
    }

    /// What the entries' objects and admin-key actors are called now (or were called when deleted), all inside the
    /// workspace: an id of another workspace's object is simply not found.
    public func auditSubjects(of entries: [AuditEntryRecord], workspaceID: WorkspaceID) async throws -> AuditSubjects {
        let subjects = Array(Set(entries.compactMap(\.subject)))
        let adminKeyIDs = Array(Set(subjects + entries.filter { $0.actorType == "admin_key" }.compactMap(\.actorId)))
        guard !adminKeyIDs.isEmpty else { return AuditSubjects() }
        return try await writer.read { db in
            func names(_ sql: String, _ ids: [String]) throws -> [String: String] {
                guard !ids.isEmpty else { return [:] }
                let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db, sql: sql.replacingOccurrences(of: "$IDS", with: placeholders),
                    arguments: StatementArguments([workspaceID.value] + ids))
                return Dictionary(rows.map { ($0[0] as String, $0[1] as String) }, uniquingKeysWith: { first, _ in first })
            }
            var found = AuditSubjects()
            found.keys = try names("SELECT id, name FROM apiKey WHERE workspaceId = ? AND id IN ($IDS)", subjects)
            found.projects = try names("SELECT id, name FROM project WHERE workspaceId = ? AND id IN ($IDS)", subjects)
            found.adminKeys = try names("SELECT id, name FROM adminKey WHERE workspaceId = ? AND id IN ($IDS)", adminKeyIDs)
            // Newest deletion first, so a name reused after a delete still finds the name it had when it went.
            found.deletedKeys = try names(
                """
                SELECT subject, detail FROM auditEntry WHERE workspaceId = ? AND action = 'key.deleted'
                AND detail IS NOT NULL AND subject IN ($IDS) ORDER BY id DESC
                """, subjects.filter { found.keys[$0] == nil })
            return found
        }
    }

    /// Newest first, older than entry `before` when given; `next` is the id to continue before, nil at the end.
    public func auditEntries(workspaceID: WorkspaceID, before: Int64?, limit: Int) async throws -> (
        items: [AuditEntryRecord], next: Int64?
    ) {
        try await writer.read { db in
            var request = AuditEntryRecord.filter(AuditEntryRecord.Columns.workspaceId == workspaceID.value)
            if let before { request = request.filter(AuditEntryRecord.Columns.id < before) }
            let items = try request.order(AuditEntryRecord.Columns.id.desc).limit(limit + 1).fetchAll(db)
            let page = Array(items.prefix(limit))
            return (page, items.count > limit ? page.last?.id : nil)
        }
    }

    /// The user's own entries (sign-ins, password, sessions), newest first.
    public func auditEntries(accountId: Int64, limit: Int) async throws -> [AuditEntryRecord] {
        try await writer.read { db in
            try AuditEntryRecord.filter(
                AuditEntryRecord.Columns.accountId == accountId && AuditEntryRecord.Columns.workspaceId == nil
            )
            .order(AuditEntryRecord.Columns.id.desc).limit(limit).fetchAll(db)
        }
    }

    /// The workspace's keys, newest first, at most `limit`: the audit filter's choices.
    public func keyNames(workspaceID: WorkspaceID, limit: Int) async throws -> [(id: String, name: String)] {
        try await writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT id, name FROM apiKey WHERE workspaceId = ? ORDER BY createdAt DESC, id LIMIT ?",
                arguments: [workspaceID.value, limit]
            ).map { ($0[0], $0[1]) }
        }
    }

    /// The workspace's entries narrowed by `query`; ordering and paging are the caller's.
    private static func auditEntries(workspaceID: WorkspaceID, matching query: AuditQuery) -> QueryInterfaceRequest<
        AuditEntryRecord
    > {
        var request = AuditEntryRecord.filter(AuditEntryRecord.Columns.workspaceId == workspaceID.value)
        if let subject = query.subject { request = request.filter(AuditEntryRecord.Columns.subject == subject) }
        if let actions = query.actions { request = request.filter(actions.contains(AuditEntryRecord.Columns.action)) }
        if let since = query.since { request = request.filter(AuditEntryRecord.Columns.createdAt >= since) }
        if let until = query.until { request = request.filter(AuditEntryRecord.Columns.createdAt < until) }
        return request
    }

    /// A user's own event; the user is the actor unless the origin already names one.
    static func audit(_ db: Database, account: AccountRecord, _ event: AuditEvent, origin: RequestOrigin, now: Date) throws {
        guard let accountId = account.id else { return }
        let origin = origin.actor == .system ? origin.by(.user(id: accountId, email: account.email)) : origin
        var entry = AuditEntryRecord(accountId: accountId, workspaceId: nil, event: event, origin: origin, now: now)
        try entry.insert(db)
    }

    /// A change in a workspace, by the origin's actor.
    static func audit(_ db: Database, workspace: WorkspaceID, _ event: AuditEvent, origin: RequestOrigin, now: Date) throws {
        var userId: Int64 = 0
        if case .user(let id, _) = origin.actor { userId = id }
        var entry = AuditEntryRecord(accountId: userId, workspaceId: workspace, event: event, origin: origin, now: now)
        try entry.insert(db)
    }
}
