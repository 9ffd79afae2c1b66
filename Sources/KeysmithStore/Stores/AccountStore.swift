import Foundation
import KeysmithCore

/// Accounts: the users who sign in to the console (DESIGN §11). Passwords arrive as Argon2id hashes.
public protocol AccountStore: Sendable {
    /// Creates the user with their personal workspace (owner) and its Default project, and the first audit entries;
    /// a taken email is `AccountError.emailTaken`, even under a race. With `invite` (the hash of an invitation's
    /// token for this email) the user also joins that workspace, in the same transaction.
    func createAccount(
        email: EmailAddress, passwordHash: String, invite: String?, origin: RequestOrigin, now: Date
    ) async throws -> AccountRecord

    /// Whether anyone has signed up yet: in `invite` mode only the first user of an empty instance needs no invitation.
    func hasAccounts() async throws -> Bool

    func account(email: EmailAddress) async throws -> AccountRecord?

    func account(id: Int64) async throws -> AccountRecord?

    /// Stores the new hash, ends every session of the account and starts `replacement` for the browser that asked.
    func changePassword(
        accountId: Int64, passwordHash: String, replacement: SessionRecord, origin: RequestOrigin, now: Date
    ) async throws

    /// Upgrades a hash made with older Argon2 parameters after a successful sign-in; not an audited change.
    func upgradePasswordHash(accountId: Int64, passwordHash: String) async throws

    /// Deletes the user with their sessions and memberships. Workspaces where they are the only member go with them
    /// (with every project and key); in the others their personal keys are disabled, with an audit entry. A
    /// workspace they alone own but share with others stops it: `WorkspaceError.conflict`, until they hand it over.
    /// `committed` gets the ids of the deleted keys and the keys disabled, in commit order (see `KeyStore`).
    func deleteAccount(
        id: Int64, origin: RequestOrigin, now: Date,
        committed: @escaping @Sendable (_ deleted: [String], _ disabled: [APIKey]) -> Void
    ) async throws
}

extension AccountStore {
    public func createAccount(email: EmailAddress, passwordHash: String, origin: RequestOrigin, now: Date) async throws
        -> AccountRecord
    {
        try await createAccount(email: email, passwordHash: passwordHash, invite: nil, origin: origin, now: now)
    }

    public func deleteAccount(id: Int64, origin: RequestOrigin, now: Date) async throws {
        try await deleteAccount(id: id, origin: origin, now: now, committed: { _, _ in })
    }
}
