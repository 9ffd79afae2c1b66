import Foundation
import KeysmithCore
import KeysmithStore
import PostgresNIO

extension PostgresStore: AccountStore {
    public func createAccount(
        email: EmailAddress, passwordHash: String, invite: String?, origin: RequestOrigin, now: Date
    ) async throws -> AccountRecord {
        try await mappingUniqueViolation(to: AccountError.emailTaken) {
            try await write { c in
                var account = AccountRecord(email: email.value, passwordHash: passwordHash, now: now)
                let id = try await c.query(
                    """
                    INSERT INTO account (email, password_hash, created_at, updated_at)
                    VALUES (\(account.email), \(passwordHash), \(now), \(now)) RETURNING id
                    """, logger: logger
                ).first { try $0.value("id", as: Int64.self) }
                guard let id else { throw AccountError.notFound }
                account.id = id
                try await audit(c, account: account, AuditEvent(.accountCreated), origin: origin, now: now)
                let actor = origin.by(.user(id: id, email: account.email))
                try await insertWorkspace(
                    c, name: WorkspaceName.personal(email: account.email), personalAccountId: id, owner: id, origin: actor,
                    now: now)
                if let invite { try await acceptInvite(c, tokenHash: invite, account: account, origin: actor, now: now) }
                return account
            }
        }
    }

    public func hasAccounts() async throws -> Bool {
        try await read { c in
            try await c.query("SELECT EXISTS (SELECT 1 FROM account) AS found", logger: logger)
                .first { try $0.value("found", as: Bool.self) } ?? false
        }
    }

    public func account(email: EmailAddress) async throws -> AccountRecord? {
        try await read { c in
            try await c.query(
                "SELECT \(unescaped: AccountRecord.columns) FROM account WHERE email = \(email.value)", logger: logger
            ).first(AccountRecord.init(row:))
        }
    }

    public func account(id: Int64) async throws -> AccountRecord? {
        try await read { c in try await accountRow(c, id: id) }
    }

    public func changePassword(
        accountId: Int64, passwordHash: String, replacement: SessionRecord, origin: RequestOrigin, now: Date
    ) async throws {
        try await write { c in
            var account = try await existingAccount(c, id: accountId)
            account.passwordHash = passwordHash
            account.updatedAt = now
            try await c.query(
                "UPDATE account SET password_hash = \(passwordHash), updated_at = \(now) WHERE id = \(accountId)", logger: logger)
            try await c.query("DELETE FROM session WHERE account_id = \(accountId)", logger: logger)
            try await insertSession(c, replacement)
            try await audit(c, account: account, AuditEvent(.passwordChanged), origin: origin, now: now)
        }
    }

    public func upgradePasswordHash(accountId: Int64, passwordHash: String) async throws {
        try await write { c in
            try await c.query("UPDATE account SET password_hash = \(passwordHash) WHERE id = \(accountId)", logger: logger)
        }
    }

    public func deleteAccount(
        id: Int64, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable (_ deleted: [String], _ disabled: [APIKey]) -> Void
    ) async throws {
        _ = try await write { c in
            let account = try await existingAccount(c, id: id)
            let actor = origin.by(.user(id: id, email: account.email))
            var deleted: [String] = []
            var disabled: [APIKey] = []
            let memberships = try await c.query(
                "SELECT workspace_id, account_id, role, joined_at FROM member WHERE account_id = \(id)", logger: logger
            ).collect(MemberRecord.init(row:))
            for membership in memberships {
                let workspace = membership.workspaceId
                let members = try await c.query(
                    "SELECT workspace_id, account_id, role, joined_at FROM member WHERE workspace_id = \(workspace.value)",
                    logger: logger
                ).collect(MemberRecord.init(row:))
                if members.count == 1 {
                    deleted += try await deleteWorkspace(c, id: workspace, origin: actor, now: now)
                    continue
                }
                if membership.role == .owner, !members.contains(where: { $0.accountId != id && $0.role == .owner }) {
                    let name =
                        try await c.query("SELECT name FROM workspace WHERE id = \(workspace.value)", logger: logger)
                        .first { try $0.value("name", as: String.self) } ?? workspace.value
                    throw WorkspaceRules.soleOwnerCannotLeave(name)
                }
                disabled += try await removeMember(c, workspace: workspace, accountId: id, origin: actor, now: now)
            }
            try await audit(c, account: account, AuditEvent(.accountDeleted, detail: account.email), origin: origin, now: now)
            try await c.query("DELETE FROM account WHERE id = \(id)", logger: logger)
            return (deleted, disabled)
        } committed: {
            committed($0.0, $0.1)
        }
    }

    func existingAccount(_ c: PostgresConnection, id: Int64) async throws -> AccountRecord {
        guard let account = try await accountRow(c, id: id) else { throw AccountError.notFound }
        return account
    }

    private func accountRow(_ c: PostgresConnection, id: Int64) async throws -> AccountRecord? {
        try await c.query("SELECT \(unescaped: AccountRecord.columns) FROM account WHERE id = \(id)", logger: logger)
            .first(AccountRecord.init(row:))
    }
}
