import Foundation
import GRDB
import KeysmithCore
import KeysmithStore

/// Admin keys: the management API's credentials (DESIGN §11).
extension SQLiteStore {
    /// Any workspace's admin key, to authenticate a management call (the presented secret is the credential).
    public func adminKey(id: AdminKeyID) async throws -> AdminKey? {
        try await writer.read { db in try AdminKeyRecord.fetchOne(db, key: id.value)?.key }
    }

    /// One of the workspace's admin keys; another workspace's is not found.
    public func adminKey(id: AdminKeyID, in workspace: WorkspaceID) async throws -> AdminKey? {
        try await writer.read { db in
            try AdminKeyRecord.filter(key: id.value).filter(AdminKeyRecord.Columns.workspaceId == workspace.value).fetchOne(db)?
                .key
        }
    }

    /// Newest first.
    public func adminKeys(in workspace: WorkspaceID) async throws -> [AdminKey] {
        try await writer.read { db in
            try AdminKeyRecord.filter(AdminKeyRecord.Columns.workspaceId == workspace.value)
                .order(AdminKeyRecord.Columns.createdAt.desc).fetchAll(db).map(\.key)
        }
    }

    public func createAdminKey(_ key: AdminKey, origin: RequestOrigin, now: Date) async throws {
        try await mappingUniqueViolation(
            to: WorkspaceRules.adminKeyNameTaken(key.name)
        ) {
            try await writer.write { db in
                try AdminKeyRecord(key).insert(db)
                try Self.audit(
                    db, workspace: key.workspaceID, AuditEvent(.adminKeyCreated, subject: key.id.value, detail: key.name),
                    origin: origin, now: now)
            }
        }
    }

    /// Applies `change` to the stored key in one transaction; the rule may refuse by throwing.
    public func changeAdminKey(
        id: AdminKeyID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date,
        _ change: @Sendable (inout AdminKey) throws -> Void
    ) async throws -> AdminKey {
        try await mappingUniqueViolation(to: WorkspaceRules.adminKeyNameTaken(nil)) {
            try await writer.write { db in
                guard
                    let record = try AdminKeyRecord.filter(key: id.value)
                        .filter(AdminKeyRecord.Columns.workspaceId == workspace.value).fetchOne(db)
                else { throw WorkspaceError.notFound }
                var key = record.key
                try change(&key)
                key.updatedAt = now
                try AdminKeyRecord(key).update(db)
                try Self.audit(
                    db, workspace: workspace, AuditEvent(.adminKeyUpdated, subject: id.value, detail: key.name), origin: origin,
                    now: now)
                return key
            }
        }
    }

    public func deleteAdminKey(id: AdminKeyID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date) async throws {
        try await writer.write { db in
            guard
                let record = try AdminKeyRecord.filter(key: id.value)
                    .filter(AdminKeyRecord.Columns.workspaceId == workspace.value).fetchOne(db)
            else { throw WorkspaceError.notFound }
            try record.delete(db)
            try Self.audit(
                db, workspace: workspace, AuditEvent(.adminKeyDeleted, subject: id.value, detail: record.name), origin: origin,
                now: now)
        }
    }

    /// Notes a use; not an audited change.
    public func recordAdminKeyUse(id: AdminKeyID, at date: Date, ip: String?) async throws {
        _ = try await writer.write { db in
            try AdminKeyRecord.filter(key: id.value).updateAll(
                db, Column("lastUsedAt").set(to: date), Column("lastUsedIp").set(to: ip))
        }
    }
}
