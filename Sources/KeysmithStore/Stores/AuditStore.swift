import Foundation
import KeysmithCore

/// The audit log: written by the other stores beside each change, read here.
public protocol AuditStore: Sendable {
    /// Writes a user's own event that changes nothing else, such as a failed sign-in.
    func recordAudit(accountId: Int64, _ event: AuditEvent, origin: RequestOrigin, now: Date) async throws

    /// The workspace's audit log, newest first.
    func auditEntries(workspaceID: WorkspaceID, page: Int, pageSize: Int) async throws -> Page<AuditEntryRecord>

    /// One page of the workspace's audit log narrowed by `query`, newest first.
    func auditEntries(workspaceID: WorkspaceID, matching query: AuditQuery) async throws -> Page<AuditEntryRecord>

    /// Every entry `query` matches (its page ignored), newest first, at most `limit`: the CSV export.
    func allAuditEntries(workspaceID: WorkspaceID, matching query: AuditQuery, limit: Int) async throws
        -> [AuditEntryRecord]

    /// What the entries' objects and admin-key actors are called now (or were called when deleted), all inside the
    /// workspace: an id of another workspace's object is simply not found.
    func auditSubjects(of entries: [AuditEntryRecord], workspaceID: WorkspaceID) async throws -> AuditSubjects

    /// Newest first, older than entry `before` when given; `next` is the id to continue before, nil at the end.
    func auditEntries(workspaceID: WorkspaceID, before: Int64?, limit: Int) async throws -> (
        items: [AuditEntryRecord], next: Int64?
    )

    /// The user's own entries (sign-ins, password, sessions), newest first.
    func auditEntries(accountId: Int64, limit: Int) async throws -> [AuditEntryRecord]

    /// The workspace's keys, newest first, at most `limit`: the audit filter's choices.
    func keyNames(workspaceID: WorkspaceID, limit: Int) async throws -> [(id: String, name: String)]
}

extension AuditStore {
    /// Pages of 50.
    public func auditEntries(workspaceID: WorkspaceID, page: Int) async throws -> Page<AuditEntryRecord> {
        try await auditEntries(workspaceID: workspaceID, page: page, pageSize: 50)
    }
}
