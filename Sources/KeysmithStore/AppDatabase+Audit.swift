import Foundation
import GRDB
import KeysmithCore

extension AppDatabase {
    /// Writes a user's own event that changes nothing else, such as a failed sign-in.
    public func recordAudit(accountId: Int64, _ event: AuditEvent, origin: RequestOrigin, now: Date) async throws {
        try await writer.write { db in
            var entry = AuditEntryRecord(accountId: accountId, workspaceId: nil, event: event, origin: origin, now: now)
            try entry.insert(db)
        }
    }

    /// The workspace's audit log, newest first.
    public func auditEntries(workspaceID: WorkspaceID, page: Int, pageSize: Int = 50) async throws -> Page<AuditEntryRecord> {
        let number = min(max(1, page), KeyListQuery.maxPage)
        return try await writer.read { db in
            let request = AuditEntryRecord.filter(AuditEntryRecord.Columns.workspaceId == workspaceID.value)
            let total = try request.fetchCount(db)
            let items = try request.order(AuditEntryRecord.Columns.id.desc)
                .limit(pageSize, offset: (number - 1) * pageSize)
                .fetchAll(db)
            return Page(items: items, totalCount: total, number: number, size: pageSize)
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
