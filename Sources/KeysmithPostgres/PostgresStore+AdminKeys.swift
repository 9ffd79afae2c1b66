import Foundation
import KeysmithCore
import KeysmithStore
import PostgresNIO

/// Admin keys: the management API's credentials (DESIGN §11).
extension PostgresStore: AdminKeyStore {
    public func adminKey(id: AdminKeyID) async throws -> AdminKey? {
        try await read { c in
            try await c.query("SELECT \(unescaped: AdminKeyRow.columns) FROM admin_key WHERE id = \(id.value)", logger: logger)
                .first(AdminKeyRow.key)
        }
    }

    public func adminKey(id: AdminKeyID, in workspace: WorkspaceID) async throws -> AdminKey? {
        try await read { c in try await adminKey(c, id: id, in: workspace) }
    }

    public func adminKeys(in workspace: WorkspaceID) async throws -> [AdminKey] {
        try await read { c in
            try await c.query(
                """
                SELECT \(unescaped: AdminKeyRow.columns) FROM admin_key WHERE workspace_id = \(workspace.value)
                ORDER BY created_at DESC
                """, logger: logger
            ).collect(AdminKeyRow.key)
        }
    }

    public func createAdminKey(_ key: AdminKey, origin: RequestOrigin, now: Date) async throws {
        try await mappingUniqueViolation(
            to: WorkspaceRules.adminKeyNameTaken(key.name)
        ) {
            try await write { c in
                try await c.query(
                    """
                    INSERT INTO admin_key (\(unescaped: AdminKeyRow.columns)) VALUES (
                        \(key.id.value), \(key.workspaceID.value), \(key.name), \(AdminKeyRow.permissions(key)),
                        \(AdminKeyRow.projects(key)), \(key.grant.expiresAt), \(JSONColumn.encode(key.grant.ipAllowlist)),
                        \(key.secret.hash), \(key.secret.hint), \(key.createdAt), \(key.updatedAt), \(key.lastUsedAt),
                        \(key.lastUsedIP))
                    """, logger: logger)
                try await audit(
                    c, workspace: key.workspaceID, AuditEvent(.adminKeyCreated, subject: key.id.value, detail: key.name),
                    origin: origin, now: now)
            }
        }
    }

    public func changeAdminKey(
        id: AdminKeyID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date,
        _ change: @Sendable (inout AdminKey) throws -> Void
    ) async throws -> AdminKey {
        try await mappingUniqueViolation(to: WorkspaceRules.adminKeyNameTaken(nil)) {
            try await write { c in
                guard var key = try await adminKey(c, id: id, in: workspace) else { throw WorkspaceError.notFound }
                try change(&key)
                key.updatedAt = now
                try await c.query(
                    """
                    UPDATE admin_key SET name = \(key.name), permissions = \(AdminKeyRow.permissions(key)),
                        projects = \(AdminKeyRow.projects(key)), expires_at = \(key.grant.expiresAt),
                        ip_allowlist = \(JSONColumn.encode(key.grant.ipAllowlist)), secret_hash = \(key.secret.hash),
                        hint = \(key.secret.hint), updated_at = \(key.updatedAt)
                    WHERE id = \(id.value)
                    """, logger: logger)
                try await audit(
                    c, workspace: workspace, AuditEvent(.adminKeyUpdated, subject: id.value, detail: key.name), origin: origin,
                    now: now)
                return key
            }
        }
    }

    public func deleteAdminKey(id: AdminKeyID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date) async throws {
        try await write { c in
            guard
                let name = try await c.query(
                    "DELETE FROM admin_key WHERE id = \(id.value) AND workspace_id = \(workspace.value) RETURNING name",
                    logger: logger
                ).first({ try $0.value("name", as: String.self) })
            else { throw WorkspaceError.notFound }
            try await audit(
                c, workspace: workspace, AuditEvent(.adminKeyDeleted, subject: id.value, detail: name), origin: origin, now: now)
        }
    }

    public func recordAdminKeyUse(id: AdminKeyID, at date: Date, ip: String?) async throws {
        try await write { c in
            try await c.query(
                "UPDATE admin_key SET last_used_at = \(date), last_used_ip = \(ip) WHERE id = \(id.value)", logger: logger)
        }
    }

    private func adminKey(_ c: PostgresConnection, id: AdminKeyID, in workspace: WorkspaceID) async throws -> AdminKey? {
        try await c.query(
            """
            SELECT \(unescaped: AdminKeyRow.columns) FROM admin_key WHERE id = \(id.value) AND workspace_id = \(workspace.value)
            """, logger: logger
        ).first(AdminKeyRow.key)
    }
}
