import Foundation
import GRDB
import KeysmithCore
import KeysmithStore

extension SQLiteStore {
    /// Creates the user with their personal workspace (owner) and its Default project, and the first audit entries;
    /// a taken email is `AccountError.emailTaken`, even under a race. With `invite` (the hash of an invitation's
    /// token for this email) the user also joins that workspace, in the same transaction.
    public func createAccount(
        email: EmailAddress, passwordHash: String, invite: String?, origin: RequestOrigin, now: Date
    ) async throws -> AccountRecord {
        try await mappingUniqueViolation(to: AccountError.emailTaken) {
            try await writer.write { db in
                var account = AccountRecord(email: email.value, passwordHash: passwordHash, now: now)
                try account.insert(db)
                try Self.audit(db, account: account, AuditEvent(.accountCreated), origin: origin, now: now)
                guard let accountId = account.id else { throw AccountError.notFound }
                let actor = origin.by(.user(id: accountId, email: account.email))
                try Self.insertWorkspace(
                    db, name: WorkspaceName.personal(email: account.email), personalAccountId: accountId, owner: accountId,
                    origin: actor, now: now)
                if let invite { try Self.acceptInvite(db, tokenHash: invite, account: account, origin: actor, now: now) }
                return account
            }
        }
    }

    /// Whether anyone has signed up yet: in `invite` mode only the first user of an empty instance needs no invitation.
    public func hasAccounts() async throws -> Bool {
        try await writer.read { db in try AccountRecord.fetchCount(db) > 0 }
    }

    public func account(email: EmailAddress) async throws -> AccountRecord? {
        try await writer.read { db in
            try AccountRecord.filter(AccountRecord.Columns.email == email.value).fetchOne(db)
        }
    }

    public func account(id: Int64) async throws -> AccountRecord? {
        try await writer.read { db in try AccountRecord.fetchOne(db, key: id) }
    }

    /// Stores the new hash, ends every session of the account and starts `replacement` for the browser that asked.
    public func changePassword(
        accountId: Int64, passwordHash: String, replacement: SessionRecord, origin: RequestOrigin, now: Date
    ) async throws {
        try await writer.write { db in
            var account = try Self.existingAccount(db, id: accountId)
            account.passwordHash = passwordHash
            account.updatedAt = now
            try account.update(db)
            try SessionRecord.filter(SessionRecord.Columns.accountId == accountId).deleteAll(db)
            try replacement.insert(db)
            try Self.audit(db, account: account, AuditEvent(.passwordChanged), origin: origin, now: now)
        }
    }

    /// Upgrades a hash made with older Argon2 parameters after a successful sign-in; not an audited change.
    public func upgradePasswordHash(accountId: Int64, passwordHash: String) async throws {
        _ = try await writer.write { db in
            try AccountRecord.filter(key: accountId).updateAll(db, Column("passwordHash").set(to: passwordHash))
        }
    }

    /// Deletes the user with their sessions and memberships. Workspaces where they are the only member go with them
    /// (with every project and key); in the others their personal keys are disabled, with an audit entry. A
    /// workspace they alone own but share with others stops it: `WorkspaceError.conflict`, until they hand it over.
    /// `committed` gets the ids of the deleted keys and the keys disabled, in commit order (see `SQLiteStore+Keys`).
    public func deleteAccount(
        id: Int64, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable (_ deleted: [String], _ disabled: [APIKey]) -> Void
    ) async throws {
        try await writer.write { db in
            let account = try Self.existingAccount(db, id: id)
            let actor = origin.by(.user(id: id, email: account.email))
            var deleted: [String] = []
            var disabled: [APIKey] = []
            for membership in try MemberRecord.filter(MemberRecord.Columns.accountId == id).fetchAll(db) {
                let workspace = membership.workspaceId
                let members = try MemberRecord.filter(MemberRecord.Columns.workspaceId == workspace.value).fetchAll(db)
                if members.count == 1 {
                    deleted += try Self.deleteWorkspace(db, id: workspace, origin: actor, now: now)
                    continue
                }
                if membership.role == .owner, !members.contains(where: { $0.accountId != id && $0.role == .owner }) {
                    let name = try WorkspaceRecord.fetchOne(db, key: workspace.value)?.name ?? workspace.value
                    throw WorkspaceRules.soleOwnerCannotLeave(name)
                }
                disabled += try Self.removeMember(db, workspace: workspace, accountId: id, origin: actor, now: now)
            }
            try Self.audit(db, account: account, AuditEvent(.accountDeleted, detail: account.email), origin: origin, now: now)
            try account.delete(db)
            db.afterNextTransaction { [deleted, disabled] _ in committed(deleted, disabled) }
        }
    }

    static func existingAccount(_ db: Database, id: Int64) throws -> AccountRecord {
        guard let account = try AccountRecord.fetchOne(db, key: id) else { throw AccountError.notFound }
        return account
    }
}
