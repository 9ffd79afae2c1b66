import Foundation
import KeysmithCore

/// Workspaces, members and invitations (DESIGN §11). Every change is one transaction with its audit entry; the
/// role rules are `Role`'s, checked by the store again so no caller can skip them.
public protocol WorkspaceStore: Sendable {
    /// The user's workspaces, personal first, then by name.
    func memberships(accountId: Int64) async throws -> [Membership]

    /// The user's view: `workspace` if they are a member of it (else their personal workspace, else their first),
    /// and `project` if it belongs to that workspace (else its oldest). nil when the user has no workspace left.
    func selection(accountId: Int64, workspace: WorkspaceID?, project: ProjectID?) async throws -> WorkspaceSelection?

    /// The user's role in the workspace; nil when they are not a member (the workspace is then "not found").
    func role(of accountId: Int64, in workspace: WorkspaceID) async throws -> Role?

    func workspace(id: WorkspaceID) async throws -> WorkspaceRecord?

    func members(of workspace: WorkspaceID) async throws -> [WorkspaceMember]

    /// A new workspace owned by the user, with its Default project.
    func createWorkspace(name: String, owner accountId: Int64, origin: RequestOrigin, now: Date) async throws
        -> WorkspaceRecord

    func renameWorkspace(_ id: WorkspaceID, to name: String, origin: RequestOrigin, now: Date) async throws
        -> WorkspaceRecord

    /// Deletes the workspace with its projects, keys, admin keys and invitations; its audit entries stay. A user's
    /// last workspace cannot go (they would have nowhere to sign in to). `committed` gets the deleted key ids.
    func deleteWorkspace(
        _ id: WorkspaceID, origin: RequestOrigin, now: Date, committed: @escaping @Sendable ([String]) -> Void
    ) async throws

    /// Gives a member another role. `actor` is the caller's own role: only owners touch owners, and the last owner
    /// stays an owner.
    func changeRole(
        in workspace: WorkspaceID, of accountId: Int64, to role: Role, actor: Role, origin: RequestOrigin, now: Date
    ) async throws -> WorkspaceMember

    /// Removes a member (or lets one leave: `actor` nil); their personal keys in the workspace are disabled, each with
    /// an audit entry, and `committed` gets them for the verification cache.
    func removeMember(
        from workspace: WorkspaceID, accountId: Int64, actor: Role?, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable ([APIKey]) -> Void
    ) async throws

    /// Records an invitation (its token only as a hash). An email that is already a member, or already invited, is
    /// `WorkspaceError.invalid` on `email`.
    func createInvite(_ invite: InviteRecord, origin: RequestOrigin, now: Date) async throws

    /// Invitations not yet accepted, revoked or expired, newest first.
    func invites(of workspace: WorkspaceID, now: Date) async throws -> [InviteRecord]

    func revokeInvite(_ id: InviteID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date) async throws

    /// A live invitation by its token's hash, with the workspace it is for.
    func invite(tokenHash: String, now: Date) async throws -> (invite: InviteRecord, workspace: WorkspaceRecord)?

    /// Joins the invitation's workspace as the signed-in user, whose email must be the invited one; the invitation
    /// is used up. Returns the workspace joined.
    func acceptInvite(tokenHash: String, accountId: Int64, origin: RequestOrigin, now: Date) async throws -> WorkspaceID
}

extension WorkspaceStore {
    public func deleteWorkspace(_ id: WorkspaceID, origin: RequestOrigin, now: Date) async throws {
        try await deleteWorkspace(id, origin: origin, now: now, committed: { _ in })
    }

    public func removeMember(from workspace: WorkspaceID, accountId: Int64, actor: Role?, origin: RequestOrigin, now: Date)
        async throws
    {
        try await removeMember(from: workspace, accountId: accountId, actor: actor, origin: origin, now: now, committed: { _ in })
    }
}
