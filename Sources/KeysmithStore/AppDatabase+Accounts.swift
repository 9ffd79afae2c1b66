import Foundation
import GRDB
import KeysmithCore

extension AppDatabase {
    /// Creates the account and its first audit entry; a taken email is `AccountError.emailTaken`, even under a race.
    public func createAccount(email: EmailAddress, passwordHash: String, origin: RequestOrigin, now: Date) async throws
        -> AccountRecord
    {
        do {
            return try await writer.write { db in
                var account = AccountRecord(email: email.value, passwordHash: passwordHash, now: now)
                try account.insert(db)
                try Self.audit(db, account: account, AuditEvent(.accountCreated), origin: origin, now: now)
                return account
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw AccountError.emailTaken
        }
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

    public func changeKeyPrefix(accountId: Int64, to prefix: KeyPrefix, origin: RequestOrigin, now: Date) async throws {
        try await writer.write { db in
            var account = try Self.existingAccount(db, id: accountId)
            guard account.keyPrefix != prefix.value else { return }
            let detail = "\(account.keyPrefix) → \(prefix.value)"
            account.keyPrefix = prefix.value
            account.updatedAt = now
            try account.update(db)
            try Self.audit(db, account: account, AuditEvent(.keyPrefixChanged, detail: detail), origin: origin, now: now)
        }
    }

    /// Deletes the account with its sessions (and, by cascade, everything it owns); the audit log keeps the deletion.
    /// `committed` gets the ids of the keys that went with it, in commit order (see `AppDatabase+Keys`).
    public func deleteAccount(
        id: Int64, origin: RequestOrigin, now: Date, committed: @escaping @Sendable ([String]) -> Void = { _ in }
    ) async throws {
        try await writer.write { db in
            let account = try Self.existingAccount(db, id: id)
            let keyIDs = try String.fetchAll(db, APIKeyRecord.select(APIKeyRecord.Columns.id).owned(by: id))
            try Self.audit(db, account: account, AuditEvent(.accountDeleted, detail: account.email), origin: origin, now: now)
            try account.delete(db)
            db.afterNextTransaction { _ in committed(keyIDs) }
        }
    }

    static func existingAccount(_ db: Database, id: Int64) throws -> AccountRecord {
        guard let account = try AccountRecord.fetchOne(db, key: id) else { throw AccountError.notFound }
        return account
    }
}
