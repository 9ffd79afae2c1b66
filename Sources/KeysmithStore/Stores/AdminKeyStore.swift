import Foundation
import KeysmithCore

/// Admin keys: a workspace's credentials for the management API.
public protocol AdminKeyStore: Sendable {
    /// Any workspace's admin key, to authenticate a management call (the presented secret is the credential).
    func adminKey(id: AdminKeyID) async throws -> AdminKey?

    /// One of the workspace's admin keys; another workspace's is not found.
    func adminKey(id: AdminKeyID, in workspace: WorkspaceID) async throws -> AdminKey?

    /// Newest first.
    func adminKeys(in workspace: WorkspaceID) async throws -> [AdminKey]

    func createAdminKey(_ key: AdminKey, origin: RequestOrigin, now: Date) async throws

    /// Applies `change` to the stored key in one transaction; the rule may refuse by throwing.
    func changeAdminKey(
        id: AdminKeyID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date,
        _ change: @Sendable (inout AdminKey) throws -> Void
    ) async throws -> AdminKey

    func deleteAdminKey(id: AdminKeyID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date) async throws

    /// Notes a use; not an audited change.
    func recordAdminKeyUse(id: AdminKeyID, at date: Date, ip: String?) async throws
}
