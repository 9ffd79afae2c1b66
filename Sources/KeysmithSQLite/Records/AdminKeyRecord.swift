import Foundation
import GRDB
import KeysmithCore
import KeysmithStore

/// The `adminKey` table's shape; the store hands out `AdminKey` (KeysmithCore).
struct AdminKeyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "adminKey"

    var id: String
    var workspaceId: WorkspaceID
    var name: String
    var permissions: [AdminPermission]
    var projects: [ProjectID]?
    var expiresAt: Date?
    var ipAllowlist: IPAllowlist
    var secretHash: String
    var hint: String
    var createdAt: Date
    var updatedAt: Date
    var lastUsedAt: Date?
    var lastUsedIp: String?

    init(_ key: AdminKey) {
        id = key.id.value
        workspaceId = key.workspaceID
        name = key.name
        permissions = key.grant.permissions.sorted()
        projects = key.grant.projects?.sorted()
        expiresAt = key.grant.expiresAt
        ipAllowlist = key.grant.ipAllowlist
        secretHash = key.secret.hash
        hint = key.secret.hint
        createdAt = key.createdAt
        updatedAt = key.updatedAt
        lastUsedAt = key.lastUsedAt
        lastUsedIp = key.lastUsedIP
    }

    var key: AdminKey {
        AdminKey(
            id: AdminKeyID(unchecked: id), workspaceID: workspaceId, name: name,
            grant: AdminKeyGrant(
                permissions: Set(permissions), projects: projects.map(Set.init), expiresAt: expiresAt, ipAllowlist: ipAllowlist),
            secret: KeySecrets.Stored(hash: secretHash, hint: hint), createdAt: createdAt, updatedAt: updatedAt,
            lastUsedAt: lastUsedAt, lastUsedIP: lastUsedIp
        )
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let workspaceId = Column(CodingKeys.workspaceId)
        static let createdAt = Column(CodingKeys.createdAt)
    }
}
