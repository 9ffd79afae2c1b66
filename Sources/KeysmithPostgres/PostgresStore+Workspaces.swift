import Foundation
import KeysmithCore
import KeysmithStore
import PostgresNIO

/// Workspaces, members and invitations: the same rules and audit entries as the SQLite store's, in PostgreSQL.
extension PostgresStore: WorkspaceStore {
    // MARK: Reads

    public func memberships(accountId: Int64) async throws -> [Membership] {
        try await read { c in try await memberships(c, accountId: accountId) }
    }

    public func selection(accountId: Int64, workspace: WorkspaceID?, project: ProjectID?) async throws -> WorkspaceSelection? {
        try await read { c in
            let memberships = try await memberships(c, accountId: accountId)
            guard
                let current = memberships.first(where: { $0.workspace.id == workspace })
                    ?? memberships.first(where: { $0.workspace.personalAccountId == accountId }) ?? memberships.first
            else { return nil }
            let projects = try await projects(c, workspace: current.workspace.id)
            guard let chosen = projects.first(where: { $0.id == project }) ?? projects.first else { return nil }
            return WorkspaceSelection(memberships: memberships, current: current, projects: projects, project: chosen)
        }
    }

    public func role(of accountId: Int64, in workspace: WorkspaceID) async throws -> Role? {
        try await read { c in try await member(c, workspace: workspace, accountId: accountId)?.role }
    }

    public func workspace(id: WorkspaceID) async throws -> WorkspaceRecord? {
        try await read { c in try await workspace(c, id: id) }
    }

    public func members(of workspace: WorkspaceID) async throws -> [WorkspaceMember] {
        try await read { c in
            try await c.query(
                """
                SELECT m.account_id, a.email, m.role, m.joined_at FROM member m JOIN account a ON a.id = m.account_id
                WHERE m.workspace_id = \(workspace.value) ORDER BY m.joined_at, a.email
                """, logger: logger
            ).collect { row in
                WorkspaceMember(
                    accountId: try row.value("account_id"), email: try row.value("email"),
                    role: Role(rawValue: try row.value("role")) ?? .viewer, joinedAt: try row.value("joined_at"))
            }
        }
    }

    // MARK: Workspaces

    public func createWorkspace(name: String, owner accountId: Int64, origin: RequestOrigin, now: Date) async throws
        -> WorkspaceRecord
    {
        try await write { c in
            try await insertWorkspace(c, name: name, personalAccountId: nil, owner: accountId, origin: origin, now: now)
        }
    }

    public func renameWorkspace(_ id: WorkspaceID, to name: String, origin: RequestOrigin, now: Date) async throws
        -> WorkspaceRecord
    {
        try await write { c in
            guard var workspace = try await workspace(c, id: id) else { throw WorkspaceError.notFound }
            guard workspace.name != name else { return workspace }
            let detail = "\(workspace.name) → \(name)"
            workspace.name = name
            workspace.updatedAt = now
            try await c.query(
                "UPDATE workspace SET name = \(name), updated_at = \(now) WHERE id = \(id.value)", logger: logger)
            try await audit(
                c, workspace: id, AuditEvent(.workspaceRenamed, subject: id.value, detail: detail), origin: origin, now: now)
            return workspace
        }
    }

    public func deleteWorkspace(
        _ id: WorkspaceID, origin: RequestOrigin, now: Date, committed: @escaping @Sendable ([String]) -> Void
    ) async throws {
        _ = try await write { c in
            let stranded =
                try await c.query(
                    """
                    SELECT COUNT(*) AS n FROM member m WHERE m.workspace_id = \(id.value) AND NOT EXISTS (
                        SELECT 1 FROM member o WHERE o.account_id = m.account_id AND o.workspace_id <> m.workspace_id)
                    """, logger: logger
                ).first { try $0.value("n", as: Int.self) } ?? 0
            try WorkspaceRules.checkDeletion(strandedMembers: stranded)
            return try await deleteWorkspace(c, id: id, origin: origin, now: now)
        } committed: {
            committed($0)
        }
    }

    @discardableResult
    func insertWorkspace(
        _ c: PostgresConnection, name: String, personalAccountId: Int64?, owner: Int64, origin: RequestOrigin, now: Date
    ) async throws -> WorkspaceRecord {
        let workspace = WorkspaceRecord(
            id: .generate(), name: name, personalAccountId: personalAccountId, createdAt: now, updatedAt: now)
        try await c.query(
            """
            INSERT INTO workspace (\(unescaped: WorkspaceRecord.columns))
            VALUES (\(workspace.id.value), \(name), \(personalAccountId), \(now), \(now))
            """, logger: logger)
        try await insertMember(c, MemberRecord(workspaceId: workspace.id, accountId: owner, role: .owner, joinedAt: now))
        try await audit(
            c, workspace: workspace.id, AuditEvent(.workspaceCreated, subject: workspace.id.value, detail: name),
            origin: origin, now: now)
        _ = try await insertProject(
            c, workspace: workspace.id, ProjectSpec(unchecked: "Default", keyPrefix: .default, description: ""),
            origin: origin, now: now)
        return workspace
    }

    /// Returns the ids of the keys that went with it.
    func deleteWorkspace(_ c: PostgresConnection, id: WorkspaceID, origin: RequestOrigin, now: Date) async throws -> [String] {
        guard let workspace = try await workspace(c, id: id) else { throw WorkspaceError.notFound }
        let keyIDs = try await c.query("SELECT id FROM api_key WHERE workspace_id = \(id.value)", logger: logger)
            .collect { try $0.value("id", as: String.self) }
        try await audit(
            c, workspace: id, AuditEvent(.workspaceDeleted, subject: id.value, detail: workspace.name), origin: origin, now: now)
        try await c.query("DELETE FROM workspace WHERE id = \(id.value)", logger: logger)
        return keyIDs
    }

    private func memberships(_ c: PostgresConnection, accountId: Int64) async throws -> [Membership] {
        try await c.query(
            """
            SELECT w.id, w.name, w.personal_account_id, w.created_at, w.updated_at, m.role
            FROM member m JOIN workspace w ON w.id = m.workspace_id WHERE m.account_id = \(accountId)
            ORDER BY w.personal_account_id IS DISTINCT FROM \(accountId), lower(w.name)
            """, logger: logger
        ).collect { row in
            Membership(workspace: try WorkspaceRecord(row: row), role: Role(rawValue: try row.value("role")) ?? .viewer)
        }
    }

    private func workspace(_ c: PostgresConnection, id: WorkspaceID) async throws -> WorkspaceRecord? {
        try await c.query("SELECT \(unescaped: WorkspaceRecord.columns) FROM workspace WHERE id = \(id.value)", logger: logger)
            .first(WorkspaceRecord.init(row:))
    }

    // MARK: Members

    public func changeRole(
        in workspace: WorkspaceID, of accountId: Int64, to role: Role, actor: Role, origin: RequestOrigin, now: Date
    ) async throws -> WorkspaceMember {
        try await write { c in
            guard var member = try await member(c, workspace: workspace, accountId: accountId) else {
                throw WorkspaceError.notFound
            }
            try WorkspaceRules.checkRoleChange(of: member.role, to: role, by: actor)
            if WorkspaceRules.takesAnOwnerAway(from: member.role, becoming: role) {
                try await requireAnotherOwner(c, workspace: workspace, than: accountId)
            }
            let email = try await existingAccount(c, id: accountId).email
            if member.role != role {
                let detail = "\(email): \(member.role.rawValue) → \(role.rawValue)"
                member.role = role
                try await c.query(
                    """
                    UPDATE member SET role = \(role.rawValue) WHERE workspace_id = \(workspace.value) AND account_id = \(accountId)
                    """, logger: logger)
                try await audit(
                    c, workspace: workspace, AuditEvent(.memberRoleChanged, subject: String(accountId), detail: detail),
                    origin: origin, now: now)
            }
            return WorkspaceMember(accountId: accountId, email: email, role: member.role, joinedAt: member.joinedAt)
        }
    }

    public func removeMember(
        from workspace: WorkspaceID, accountId: Int64, actor: Role?, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable ([APIKey]) -> Void
    ) async throws {
        _ = try await write { c in
            guard let member = try await member(c, workspace: workspace, accountId: accountId) else {
                throw WorkspaceError.notFound
            }
            try WorkspaceRules.checkRemoval(of: member.role, by: actor)
            if WorkspaceRules.takesAnOwnerAway(from: member.role, becoming: nil) {
                try await requireAnotherOwner(c, workspace: workspace, than: accountId)
            }
            let memberships =
                try await c.query("SELECT COUNT(*) AS n FROM member WHERE account_id = \(accountId)", logger: logger)
                .first { try $0.value("n", as: Int.self) } ?? 0
            try WorkspaceRules.checkAnotherWorkspaceRemains(memberships: memberships)
            return try await removeMember(c, workspace: workspace, accountId: accountId, origin: origin, now: now)
        } committed: {
            committed($0)
        }
    }

    /// Returns the personal keys it disabled.
    func removeMember(_ c: PostgresConnection, workspace: WorkspaceID, accountId: Int64, origin: RequestOrigin, now: Date)
        async throws -> [APIKey]
    {
        let email = try await existingAccount(c, id: accountId).email
        var disabled: [APIKey] = []
        let personal = try await c.query(
            """
            SELECT \(unescaped: APIKeyRow.columns) FROM api_key WHERE workspace_id = \(workspace.value)
            AND creator_id = \(accountId) AND owner_type = \(OwnerType.personal.rawValue)
            """, logger: logger
        ).collect(APIKeyRow.key)
        for var key in personal where key.status == .active {
            try key.disable(now: now)
            try await c.query(APIKeyRow.update(key), logger: logger)
            try await audit(
                c, key: key, .keyDisabled, detail: "\(key.name): personal key of \(email), who left", origin: origin, now: now)
            disabled.append(key)
        }
        // Sessions that were in this workspace fall back to another one on their next request.
        try await c.query(
            "DELETE FROM member WHERE workspace_id = \(workspace.value) AND account_id = \(accountId)", logger: logger)
        try await audit(
            c, workspace: workspace, AuditEvent(.memberRemoved, subject: String(accountId), detail: email), origin: origin,
            now: now)
        return disabled
    }

    private func member(_ c: PostgresConnection, workspace: WorkspaceID, accountId: Int64) async throws -> MemberRecord? {
        try await c.query(
            """
            SELECT workspace_id, account_id, role, joined_at FROM member
            WHERE workspace_id = \(workspace.value) AND account_id = \(accountId)
            """, logger: logger
        ).first(MemberRecord.init(row:))
    }

    private func insertMember(_ c: PostgresConnection, _ member: MemberRecord) async throws {
        try await c.query(
            """
            INSERT INTO member (workspace_id, account_id, role, joined_at)
            VALUES (\(member.workspaceId.value), \(member.accountId), \(member.role.rawValue), \(member.joinedAt))
            """, logger: logger)
    }

    private func requireAnotherOwner(_ c: PostgresConnection, workspace: WorkspaceID, than accountId: Int64) async throws {
        let owners =
            try await c.query(
                """
                SELECT COUNT(*) AS n FROM member WHERE workspace_id = \(workspace.value) AND role = \(Role.owner.rawValue)
                AND account_id <> \(accountId)
                """, logger: logger
            ).first { try $0.value("n", as: Int.self) } ?? 0
        try WorkspaceRules.checkAnOwnerRemains(otherOwners: owners)
    }

    // MARK: Invitations

    public func createInvite(_ invite: InviteRecord, origin: RequestOrigin, now: Date) async throws {
        try await write { c in
            let isMember =
                try await c.query(
                    """
                    SELECT EXISTS (SELECT 1 FROM member m JOIN account a ON a.id = m.account_id
                        WHERE m.workspace_id = \(invite.workspaceId.value) AND a.email = \(invite.email)) AS found
                    """, logger: logger
                ).first { try $0.value("found", as: Bool.self) } ?? false
            let pending =
                try await c.query(
                    """
                    SELECT COUNT(*) AS n FROM invite WHERE workspace_id = \(invite.workspaceId.value)
                    AND email = \(invite.email) AND expires_at > \(now)
                    """, logger: logger
                ).first { try $0.value("n", as: Int.self) } ?? 0
            try WorkspaceRules.checkInvite(of: invite.email, isMember: isMember, pendingInvites: pending)
            try await c.query(
                """
                INSERT INTO invite (\(unescaped: InviteRecord.columns)) VALUES (
                    \(invite.id.value), \(invite.workspaceId.value), \(invite.email), \(invite.role.rawValue),
                    \(invite.tokenHash), \(invite.invitedBy), \(invite.createdAt), \(invite.expiresAt))
                """, logger: logger)
            try await audit(
                c, workspace: invite.workspaceId,
                AuditEvent(.memberInvited, subject: invite.id.value, detail: "\(invite.email) as \(invite.role.rawValue)"),
                origin: origin, now: now)
        }
    }

    public func invites(of workspace: WorkspaceID, now: Date) async throws -> [InviteRecord] {
        try await read { c in
            try await c.query(
                """
                SELECT \(unescaped: InviteRecord.columns) FROM invite WHERE workspace_id = \(workspace.value)
                AND expires_at > \(now) ORDER BY created_at DESC
                """, logger: logger
            ).collect(InviteRecord.init(row:))
        }
    }

    public func revokeInvite(_ id: InviteID, in workspace: WorkspaceID, origin: RequestOrigin, now: Date) async throws {
        try await write { c in
            guard
                let email = try await c.query(
                    "DELETE FROM invite WHERE id = \(id.value) AND workspace_id = \(workspace.value) RETURNING email",
                    logger: logger
                ).first({ try $0.value("email", as: String.self) })
            else { throw WorkspaceError.notFound }
            try await audit(
                c, workspace: workspace, AuditEvent(.inviteRevoked, subject: id.value, detail: email), origin: origin, now: now)
        }
    }

    public func invite(tokenHash: String, now: Date) async throws -> (invite: InviteRecord, workspace: WorkspaceRecord)? {
        try await read { c in
            guard let invite = try await liveInvite(c, tokenHash: tokenHash, now: now),
                let workspace = try await workspace(c, id: invite.workspaceId)
            else { return nil }
            return (invite, workspace)
        }
    }

    public func acceptInvite(tokenHash: String, accountId: Int64, origin: RequestOrigin, now: Date) async throws -> WorkspaceID {
        try await write { c in
            let account = try await existingAccount(c, id: accountId)
            return try await acceptInvite(c, tokenHash: tokenHash, account: account, origin: origin, now: now)
        }
    }

    @discardableResult
    func acceptInvite(_ c: PostgresConnection, tokenHash: String, account: AccountRecord, origin: RequestOrigin, now: Date)
        async throws -> WorkspaceID
    {
        guard let accountId = account.id, let invite = try await liveInvite(c, tokenHash: tokenHash, now: now) else {
            throw WorkspaceError.notFound
        }
        try WorkspaceRules.checkAcceptance(of: invite.email, by: account.email)
        try await c.query("DELETE FROM invite WHERE id = \(invite.id.value)", logger: logger)
        if try await member(c, workspace: invite.workspaceId, accountId: accountId) == nil {
            try await insertMember(
                c, MemberRecord(workspaceId: invite.workspaceId, accountId: accountId, role: invite.role, joinedAt: now))
            try await audit(
                c, workspace: invite.workspaceId,
                AuditEvent(.memberJoined, subject: String(accountId), detail: "\(account.email) as \(invite.role.rawValue)"),
                origin: origin, now: now)
        }
        return invite.workspaceId
    }

    private func liveInvite(_ c: PostgresConnection, tokenHash: String, now: Date) async throws -> InviteRecord? {
        try await c.query(
            """
            SELECT \(unescaped: InviteRecord.columns) FROM invite WHERE token_hash = \(tokenHash) AND expires_at > \(now)
            """, logger: logger
        ).first(InviteRecord.init(row:))
    }
}
