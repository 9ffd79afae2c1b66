import Foundation
import GRDB
import KeysmithCore
import KeysmithStore

/// Workspaces, members and invitations (DESIGN §11). Every change is one transaction with its audit entry; the
/// role rules are `Role`'s, checked here again so no caller can skip them.
extension SQLiteStore {
    // MARK: Reads

    /// The user's workspaces, personal first, then by name.
    public func memberships(accountId: Int64) async throws -> [Membership] {
        try await writer.read { db in try Self.memberships(db, accountId: accountId) }
    }

    /// The user's view: `workspace` if they are a member of it (else their personal workspace, else their first),
    /// and `project` if it belongs to that workspace (else its oldest). nil when the user has no workspace left.
    public func selection(accountId: Int64, workspace: WorkspaceID?, project: ProjectID?) async throws -> WorkspaceSelection? {
        try await writer.read { db in
            let memberships = try Self.memberships(db, accountId: accountId)
            guard
                let current = memberships.first(where: { $0.workspace.id == workspace })
                    ?? memberships.first(where: { $0.workspace.personalAccountId == accountId }) ?? memberships.first
            else { return nil }
            let projects = try Self.projects(db, workspace: current.workspace.id)
            guard let chosen = projects.first(where: { $0.id == project }) ?? projects.first else { return nil }
            return WorkspaceSelection(memberships: memberships, current: current, projects: projects, project: chosen)
        }
    }

    /// The user's role in the workspace; nil when they are not a member (the workspace is then "not found").
    public func role(of accountId: Int64, in workspace: WorkspaceID) async throws -> Role? {
        try await writer.read { db in
            try MemberRecord.fetchOne(db, key: ["workspaceId": workspace.value, "accountId": accountId])?.role
        }
    }

    public func workspace(id: WorkspaceID) async throws -> WorkspaceRecord? {
        try await writer.read { db in try WorkspaceRecord.fetchOne(db, key: id.value) }
    }

    public func members(of workspace: WorkspaceID) async throws -> [WorkspaceMember] {
        try await writer.read { db in
            try WorkspaceMember.fetchAll(
                db,
                sql: """
                    SELECT m.accountId, a.email, m.role, m.joinedAt FROM member m JOIN account a ON a.id = m.accountId
                    WHERE m.workspaceId = ? ORDER BY m.joinedAt, a.email
                    """, arguments: [workspace.value])
        }
    }

    // MARK: Workspaces

    /// A new workspace owned by the user, with its Default project.
    public func createWorkspace(name: String, owner accountId: Int64, origin: RequestOrigin, now: Date) async throws
        -> WorkspaceRecord
    {
        try await writer.write { db in
            try Self.insertWorkspace(db, name: name, personalAccountId: nil, owner: accountId, origin: origin, now: now)
        }
    }

    public func renameWorkspace(_ id: WorkspaceID, to name: String, origin: RequestOrigin, now: Date) async throws
        -> WorkspaceRecord
    {
        try await writer.write { db in
            guard var workspace = try WorkspaceRecord.fetchOne(db, key: id.value) else { throw WorkspaceError.notFound }
            guard workspace.name != name else { return workspace }
            let detail = "\(workspace.name) → \(name)"
            workspace.name = name
            workspace.updatedAt = now
            try workspace.update(db)
            try Self.audit(
                db, workspace: id, AuditEvent(.workspaceRenamed, subject: id.value, detail: detail), origin: origin, now: now)
            return workspace
        }
    }

    /// Deletes the workspace with its projects, keys, admin keys and invitations; its audit entries stay. A user's
    /// last workspace cannot go (they would have nowhere to sign in to). `committed` gets the deleted key ids.
    public func deleteWorkspace(
        _ id: WorkspaceID, origin: RequestOrigin, now: Date, committed: @escaping @Sendable ([String]) -> Void
    ) async throws {
        try await writer.write { db in
            let stranded =
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) FROM member m WHERE m.workspaceId = ?
                        AND NOT EXISTS (SELECT 1 FROM member o WHERE o.accountId = m.accountId AND o.workspaceId <> m.workspaceId)
                        """, arguments: [id.value]) ?? 0
            try WorkspaceRules.checkDeletion(strandedMembers: stranded)
            let keyIDs = try Self.deleteWorkspace(db, id: id, origin: origin, now: now)
            db.afterNextTransaction { _ in committed(keyIDs) }
        }
    }

    @discardableResult
    static func insertWorkspace(
        _ db: Database, name: String, personalAccountId: Int64?, owner: Int64, origin: RequestOrigin, now: Date
    ) throws -> WorkspaceRecord {
        let workspace = WorkspaceRecord(
            id: .generate(), name: name, personalAccountId: personalAccountId, createdAt: now, updatedAt: now)
        try workspace.insert(db)
        try MemberRecord(workspaceId: workspace.id, accountId: owner, role: .owner, joinedAt: now).insert(db)
        try audit(
            db, workspace: workspace.id, AuditEvent(.workspaceCreated, subject: workspace.id.value, detail: name), origin: origin,
            now: now)
        _ = try insertProject(
            db, workspace: workspace.id, ProjectSpec(unchecked: "Default", keyPrefix: .default, description: ""),
            origin: origin, now: now)
        return workspace
    }

    /// Returns the ids of the keys that went with it.
    static func deleteWorkspace(_ db: Database, id: WorkspaceID, origin: RequestOrigin, now: Date) throws -> [String] {
        guard let workspace = try WorkspaceRecord.fetchOne(db, key: id.value) else { throw WorkspaceError.notFound }
        let keyIDs = try String.fetchAll(db, APIKeyRecord.select(APIKeyRecord.Columns.id).inWorkspace(id))
        try audit(
            db, workspace: id, AuditEvent(.workspaceDeleted, subject: id.value, detail: workspace.name), origin: origin, now: now)
        try workspace.delete(db)
        return keyIDs
    }

    static func memberships(_ db: Database, accountId: Int64) throws -> [Membership] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT w.*, m.role FROM member m JOIN workspace w ON w.id = m.workspaceId WHERE m.accountId = ?
                ORDER BY w.personalAccountId IS NOT ? , w.name COLLATE NOCASE
                """, arguments: [accountId, accountId])
        return try rows.map { row in
            Membership(workspace: try WorkspaceRecord(row: row), role: Role(rawValue: row["role"]) ?? .viewer)
        }
    }

    // MARK: Members

    /// Gives a member another role. `actor` is the caller's own role: only owners touch owners, and the last owner
    /// stays an owner.
    public func changeRole(
        in workspace: WorkspaceID, of accountId: Int64, to role: Role, actor: Role, origin: RequestOrigin, now: Date
    ) async throws -> WorkspaceMember {
        try await writer.write { db in
            guard var member = try MemberRecord.fetchOne(db, key: ["workspaceId": workspace.value, "accountId": accountId])
            else { throw WorkspaceError.notFound }
            try WorkspaceRules.checkRoleChange(of: member.role, to: role, by: actor)
            if WorkspaceRules.takesAnOwnerAway(from: member.role, becoming: role) {
                try Self.requireAnotherOwner(db, workspace: workspace, than: accountId)
            }
            let email = try Self.existingAccount(db, id: accountId).email
            if member.role != role {
                let detail = "\(email): \(member.role.rawValue) → \(role.rawValue)"
                member.role = role
                try member.update(db)
                try Self.audit(
                    db, workspace: workspace, AuditEvent(.memberRoleChanged, subject: String(accountId), detail: detail),
                    origin: origin, now: now)
            }
            return WorkspaceMember(accountId: accountId, email: email, role: member.role, joinedAt: member.joinedAt)
        }
    }

    /// Removes a member (or lets one leave: `actor` nil); their personal keys in the workspace are disabled, each with
    /// an audit entry, and `committed` gets them for the verification cache.
    public func removeMember(
        from workspace: WorkspaceID, accountId: Int64, actor: Role?, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable ([APIKey]) -> Void
    ) async throws {
        try await writer.write { db in
            guard let member = try MemberRecord.fetchOne(db, key: ["workspaceId": workspace.value, "accountId": accountId])
            else { throw WorkspaceError.notFound }
            try WorkspaceRules.checkRemoval(of: member.role, by: actor)
            if WorkspaceRules.takesAnOwnerAway(from: member.role, becoming: nil) {
                try Self.requireAnotherOwner(db, workspace: workspace, than: accountId)
            }
            try WorkspaceRules.checkAnotherWorkspaceRemains(
                memberships: try MemberRecord.filter(MemberRecord.Columns.accountId == accountId).fetchCount(db))
            let disabled = try Self.removeMember(db, workspace: workspace, accountId: accountId, origin: origin, now: now)
            db.afterNextTransaction { _ in committed(disabled) }
        }
    }

    /// Returns the personal keys it disabled.
    static func removeMember(_ db: Database, workspace: WorkspaceID, accountId: Int64, origin: RequestOrigin, now: Date) throws
        -> [APIKey]
    {
        let email = try existingAccount(db, id: accountId).email
        var disabled: [APIKey] = []
        let personal = try APIKeyRecord.all().inWorkspace(workspace)
            .filter(APIKeyRecord.Columns.creatorId == accountId && APIKeyRecord.Columns.ownerType == OwnerType.personal.rawValue)
            .fetchAll(db)
        for record in personal {
            var key = try record.key()
            guard key.status == .active else { continue }
            try key.disable(now: now)
            try APIKeyRecord(key).update(db)
            try audit(
                db, key: key, .keyDisabled, detail: "\(key.name): personal key of \(email), who left", origin: origin, now: now)
            disabled.append(key)
        }
        // Sessions that were in this workspace fall back to another one on their next request.
        try MemberRecord.deleteOne(db, key: ["workspaceId": workspace.value, "accountId": accountId])
        try audit(
            db, workspace: workspace, AuditEvent(.memberRemoved, subject: String(accountId), detail: email), origin: origin,
            now: now)
        return disabled
    }

    private static func requireAnotherOwner(_ db: Database, workspace: WorkspaceID, than accountId: Int64) throws {
        let owners = try MemberRecord.filter(
            MemberRecord.Columns.workspaceId == workspace.value && MemberRecord.Columns.role == Role.owner.rawValue
                && MemberRecord.Columns.accountId != accountId
        ).fetchCount(db)
        try WorkspaceRules.checkAnOwnerRemains(otherOwners: owners)
    }

    // MARK: Invitations

    /// Records an invitation (its token only as a hash). An email that is already a member, or already invited, is
    /// `WorkspaceError.invalid` on `email`.
    public func createInvite(_ invite: InviteRecord, origin: RequestOrigin, now: Date) async throws {
        try await writer.write { db in
            let isMember =
                try Bool.fetchOne(
                    db,
                    sql:
                        "SELECT EXISTS (SELECT 1 FROM member m JOIN account a ON a.id = m.accountId WHERE m.workspaceId = ? AND a.email = ?)",
                    arguments: [invite.workspaceId.value, invite.email]) ?? false
            let pending = try InviteRecord.filter(
                InviteRecord.Columns.workspaceId == invite.workspaceId.value && InviteRecord.Columns.email == invite.email
                    && InviteRecord.Columns.expiresAt > now
            ).fetchCount(db)
            try WorkspaceRules.checkInvite(of: invite.email, isMember: isMember, pendingInvites: pending)
            try invite.insert(db)
            try Self.audit(
                db, workspace: invite.workspaceId,
                AuditEvent(.memberInvited, subject: invite.id.value, detail: "\(invite.email) as \(invite.role.rawValue)"),
                origin: origin, now: now)
        }
    }

    /// Invitations not yet accepted, revoked or expired, newest first.
    public func invites(of workspace: WorkspaceID, now: Date) async throws -> [InviteRecord] {
        try await writer.read { db in
            try InviteRecord.filter(InviteRecord.Columns.workspaceId == workspace.value && InviteRecord.Columns.expiresAt > now)
                .order(Column("createdAt").desc).fetchAll(db)
        }
    }

    public func revokeInvite(_ id: InviteID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date) async throws {
        try await writer.write { db in
            guard
                let invite = try InviteRecord.filter(key: id.value).filter(InviteRecord.Columns.workspaceId == workspace.value)
                    .fetchOne(db)
            else { throw WorkspaceError.notFound }
            try invite.delete(db)
            try Self.audit(
                db, workspace: workspace, AuditEvent(.inviteRevoked, subject: id.value, detail: invite.email), origin: origin,
                now: now)
        }
    }

    /// A live invitation by its token's hash, with the workspace it is for.
    public func invite(tokenHash: String, now: Date) async throws -> (invite: InviteRecord, workspace: WorkspaceRecord)? {
        try await writer.read { db in
            guard
                let invite = try InviteRecord.filter(
                    InviteRecord.Columns.tokenHash == tokenHash && InviteRecord.Columns.expiresAt > now
                )
                .fetchOne(db),
                let workspace = try WorkspaceRecord.fetchOne(db, key: invite.workspaceId.value)
            else { return nil }
            return (invite, workspace)
        }
    }

    /// Joins the invitation's workspace as the signed-in user, whose email must be the invited one; the invitation
    /// is used up. Returns the workspace joined.
    public func acceptInvite(tokenHash: String, accountId: Int64, origin: RequestOrigin, now: Date) async throws -> WorkspaceID {
        try await writer.write { db in
            let account = try Self.existingAccount(db, id: accountId)
            return try Self.acceptInvite(db, tokenHash: tokenHash, account: account, origin: origin, now: now)
        }
    }

    @discardableResult
    static func acceptInvite(_ db: Database, tokenHash: String, account: AccountRecord, origin: RequestOrigin, now: Date) throws
        -> WorkspaceID
    {
        guard let accountId = account.id,
            let invite = try InviteRecord.filter(
                InviteRecord.Columns.tokenHash == tokenHash && InviteRecord.Columns.expiresAt > now
            )
            .fetchOne(db)
        else { throw WorkspaceError.notFound }
        try WorkspaceRules.checkAcceptance(of: invite.email, by: account.email)
        try invite.delete(db)
        let existing = try MemberRecord.fetchOne(db, key: ["workspaceId": invite.workspaceId.value, "accountId": accountId])
        if existing == nil {
            try MemberRecord(workspaceId: invite.workspaceId, accountId: accountId, role: invite.role, joinedAt: now).insert(db)
            try audit(
                db, workspace: invite.workspaceId,
                AuditEvent(.memberJoined, subject: String(accountId), detail: "\(account.email) as \(invite.role.rawValue)"),
                origin: origin, now: now)
        }
        return invite.workspaceId
    }
}
