import Foundation
import KeysmithCore

/// API keys. Every change runs `APIKey`'s rules and its audit entry in one transaction; `committed` runs in
/// commit order, so the key writer hands the verification cache each change in the order the store made it.
public protocol KeyStore: Sendable {
    /// Stores a new key with its audit entries (created, and activated when it already is). A name already used in
    /// the project is `KeyError.nameTaken`.
    func createKey(
        _ key: APIKey, origin: RequestOrigin, now: Date, committed: @escaping @Sendable (APIKey) -> Void
    ) async throws -> APIKey

    /// One of the workspace's keys; another workspace's id is simply not found.
    func key(id: String, workspaceID: WorkspaceID) async throws -> APIKey?

    /// Any workspace's key, for verification, where the presented secret is the credential.
    func key(id: String) async throws -> APIKey?

    /// Every key id, for the verification cache's filter of ids that exist.
    func allKeyIDs() async throws -> [String]

    /// Applies `change` (one of `APIKey`'s rules) to one of the workspace's keys and records `action`, in one
    /// transaction: a change the rules refuse, a name conflict or a vanished key leaves everything as it was.
    /// `committed` gets the key as it was inside the transaction and as it is now.
    func changeKey(
        id: String, workspaceID: WorkspaceID, audit action: AuditAction, detail: String?, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable (_ before: APIKey, _ after: APIKey) -> Void,
        _ change: @Sendable (inout APIKey) throws -> Void
    ) async throws -> APIKey

    /// Removes the key and its usage; its audit entries stay.
    @discardableResult
    func deleteKey(
        id: String, workspaceID: WorkspaceID, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable (APIKey) -> Void
    ) async throws -> APIKey

    /// Stores a hash made with today's Argon2 parameters, unless the secret changed meanwhile; not an audited change.
    func upgradeSecretHash(
        id: String, from old: String, to new: String, committed: @escaping @Sendable (APIKey) -> Void
    ) async throws -> APIKey?

    func keys(projectID: ProjectID, matching query: KeyListQuery, now: Date) async throws -> Page<APIKey>

    /// Newest first from `cursor` on, for the API; `next` continues after the last item, nil at the end.
    func keys(
        projectID: ProjectID, matching query: KeyListQuery, after cursor: KeyCursor?, limit: Int, now: Date
    ) async throws -> (items: [APIKey], next: KeyCursor?)

    /// How many keys the project has in each effective status, for summaries.
    func keyCounts(projectID: ProjectID, now: Date) async throws -> [KeyStatus: Int]

    /// The key's own audit trail, newest first.
    func auditEntries(workspaceID: WorkspaceID, subject: String, limit: Int) async throws -> [AuditEntryRecord]
}

extension KeyStore {
    public func createKey(_ key: APIKey, origin: RequestOrigin, now: Date) async throws -> APIKey {
        try await createKey(key, origin: origin, now: now, committed: { _ in })
    }

    public func changeKey(
        id: String, workspaceID: WorkspaceID, audit action: AuditAction, detail: String? = nil, origin: RequestOrigin,
        now: Date, _ change: @Sendable (inout APIKey) throws -> Void
    ) async throws -> APIKey {
        try await changeKey(
            id: id, workspaceID: workspaceID, audit: action, detail: detail, origin: origin, now: now,
            committed: { _, _ in }, change)
    }

    @discardableResult
    public func deleteKey(id: String, workspaceID: WorkspaceID, origin: RequestOrigin, now: Date) async throws -> APIKey {
        try await deleteKey(id: id, workspaceID: workspaceID, origin: origin, now: now, committed: { _ in })
    }

    public func upgradeSecretHash(id: String, from old: String, to new: String) async throws -> APIKey? {
        try await upgradeSecretHash(id: id, from: old, to: new, committed: { _ in })
    }

    /// The newest 50.
    public func auditEntries(workspaceID: WorkspaceID, subject: String) async throws -> [AuditEntryRecord] {
        try await auditEntries(workspaceID: workspaceID, subject: subject, limit: 50)
    }
}
