import Foundation
import KeysmithCore
import KeysmithStore

/// Makes and changes admin keys for the console and the API: validates the draft, applies DESIGN §8's subset rule
/// when another admin key is asking, generates the secret, hashes it, and hands the token back exactly once.
struct AdminKeyIssuer: Sendable {
    let database: any AdminKeyStore & ProjectStore
    let hasher: PasswordHasher
    let clock: AppClock

    /// Thrown when the requesting admin key would hand out more than it has; fields name what is too wide.
    struct TooWide: Error {
        let fields: [String: String]
    }

    func create(_ draft: AdminKeyDraft, in workspace: WorkspaceID, grantor: AdminKeyGrant?, origin: RequestOrigin) async throws
        -> (key: AdminKey, token: AdminKeyToken)
    {
        let now = clock.now()
        let (name, grant) = try await validate(draft, in: workspace, grantor: grantor, now: now)
        let token = AdminKeyToken.generate()
        let key = AdminKey(
            id: token.id, workspaceID: workspace, name: name, grant: grant,
            secret: KeySecrets.Stored(hash: try await hasher.hash(token.secret), hint: token.hint), createdAt: now, updatedAt: now
        )
        try await database.createAdminKey(key, origin: origin, now: now)
        return (key, token)
    }

    /// Replaces name and grant; a requesting admin key may only end up with (or give) a subset of its own grant.
    func update(
        _ id: AdminKeyID, in workspace: WorkspaceID, _ draft: AdminKeyDraft, grantor: AdminKeyGrant?, origin: RequestOrigin
    )
        async throws -> AdminKey
    {
        let now = clock.now()
        let (name, grant) = try await validate(draft, in: workspace, grantor: grantor, now: now)
        return try await database.changeAdminKey(id: id, in: workspace, origin: origin, now: now) { key in
            key.name = name
            key.grant = grant
        }
    }

    /// The draft's name and grant, refused when invalid or — for a requesting admin key — wider than its own grant.
    private func validate(_ draft: AdminKeyDraft, in workspace: WorkspaceID, grantor: AdminKeyGrant?, now: Date) async throws
        -> (name: String, grant: AdminKeyGrant)
    {
        let known = Set(try await database.projects(of: workspace).map(\.id))
        let validated = try draft.validate(now: now, known: known)
        if let grantor {
            let excess = grantor.excess(of: validated.grant)
            guard excess.isEmpty else { throw TooWide(fields: excess) }
        }
        return validated
    }
}
