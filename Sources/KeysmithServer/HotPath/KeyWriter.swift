import Foundation
import KeysmithCore
import KeysmithStore

/// The one way keys change (DESIGN §7.8): console, API, account, workspace, project and member changes all come here. Each
/// change is one store transaction (with its audit entry), and reaches the verification cache from the store's
/// commit hook: in commit order, before the caller answers, so a disable, rotate-now or delete holds from the very
/// next request, and two changes racing each other leave the cache with the later one.
///
/// It also makes secrets: generates one (or takes the custom one), hashes it with Argon2id, and hands the
/// plaintext back exactly once, to be shown and forgotten.
struct KeyWriter: Sendable {
    let database: any KeyStore & AccountStore & ProjectStore & WorkspaceStore
    let hasher: PasswordHasher
    let cache: KeyCache
    let ledger: QuotaLedger
    let limiter: RateLimiter
    let clock: AppClock

    /// A new key from a validated spec: active with a fresh secret unless `activate` is false. Returns the token
    /// when a generated secret was made (a custom secret is the caller's already).
    /// `creatorID` is the user making it (nil for an admin key), to whom a personal key stays bound.
    func create(_ spec: KeySpec, in project: ProjectRecord, creatorID: Int64?, activate: Bool, origin: RequestOrigin) async throws
        -> (key: APIKey, token: APIKeyToken?)
    {
        try await create(spec, in: project, creatorID: creatorID, startingAs: activate ? .active : .pending, origin: origin)
    }

    /// The same, starting in any of `KeyStatus.initialCases`: a disabled key gets its secret like an active one (so
    /// enabling it later needs nothing more), then is disabled in the same transaction.
    func create(
        _ spec: KeySpec, in project: ProjectRecord, creatorID: Int64?, startingAs status: KeyStatus, origin: RequestOrigin
    ) async throws -> (key: APIKey, token: APIKeyToken?) {
        guard KeyStatus.initialCases.contains(status) else {
            throw KeyError.invalid(["status": "Choose active, pending or disabled."])
        }
        let activate = status != .pending
        let now = clock.now()
        let keyID = KeyID.generate(prefix: project.prefix, environment: spec.environment)
        var customSecret: KeySecrets.Stored?
        if let custom = spec.customSecret {
            let token = try APIKeyToken(keyID: keyID, customSecret: custom)
            customSecret = KeySecrets.Stored(hash: try await hasher.hash(token.secret), hint: token.hint)
        }
        var key = APIKey(
            id: keyID, projectID: project.id, workspaceID: project.workspaceId, creatorID: creatorID, spec: spec,
            customSecret: customSecret, now: now)
        var revealed: APIKeyToken?
        if activate {
            var secret: KeySecrets.Stored?
            if customSecret == nil {
                let token = APIKeyToken.generate(for: keyID)
                secret = KeySecrets.Stored(hash: try await hasher.hash(token.secret), hint: token.hint)
                revealed = token
            }
            try key.activate(with: secret, now: now)
            if status == .disabled { try key.disable(now: now) }
        }
        let created = try await database.createKey(key, origin: origin, now: now, committed: publish)
        return (created, revealed)
    }

    /// Applies the editable fields; `keepingExpiry` leaves the stored expiry as it is, whatever `spec` says.
    func update(_ key: APIKey, with spec: KeySpec, keepingExpiry: Bool, origin: RequestOrigin) async throws -> APIKey {
        // An edit that changes nothing is not written and leaves no "API key edited" behind.
        var unchanged = key
        unchanged.edit(spec, keepingExpiry: keepingExpiry, now: key.updatedAt)
        if unchanged == key { return key }
        let now = clock.now()
        // The audit entry says what changed ("rate limit: none → 600/min"), not just that something did.
        let changes = KeyEditSummary(before: key, after: unchanged).text
        return try await change(key, .keyUpdated, detail: changes, origin: origin) { key in
            key.edit(spec, keepingExpiry: keepingExpiry, now: now)
        }
    }

    /// pending → active. A generated key gets its first secret (returned); a custom key already has its own.
    func activate(_ key: APIKey, origin: RequestOrigin) async throws -> (key: APIKey, token: APIKeyToken?) {
        _ = try key.status.applying(.activate)  // refuse before hashing anything
        var token: APIKeyToken?
        var secret: KeySecrets.Stored?
        if key.tokenType == .generated {
            let generated = APIKeyToken.generate(for: key.id)
            secret = KeySecrets.Stored(hash: try await hasher.hash(generated.secret), hint: generated.hint)
            token = generated
        }
        let now = clock.now()
        let activated = try await change(key, .keyActivated, origin: origin) { [secret] key in
            try key.activate(with: secret, now: now)
        }
        return (activated, token)
    }

    /// A new secret; the old one keeps working for `grace`. Custom keys need `customSecret`; a bad one is
    /// `KeyError.invalid`.
    func rotate(_ key: APIKey, grace: RotationGrace, customSecret: String?, origin: RequestOrigin) async throws
        -> (key: APIKey, token: APIKeyToken)
    {
        _ = try key.status.applying(.rotate)
        let token: APIKeyToken
        if key.tokenType == .custom {
            do {
                token = try APIKeyToken(keyID: key.id, customSecret: customSecret ?? "")
            } catch {
                throw KeyError.invalid(["secret": "\(error)"])
            }
        } else {
            token = APIKeyToken.generate(for: key.id)
        }
        let secret = KeySecrets.Stored(hash: try await hasher.hash(token.secret), hint: token.hint)
        let now = clock.now()
        let detail = "old secret \(grace.oldSecretLabel.lowercased())"
        let rotated = try await change(key, .keyRotated, detail: detail, origin: origin) { key in
            try key.rotate(to: secret, grace: grace, now: now)
        }
        return (rotated, token)
    }

    /// Ends the grace of the rotated-out secrets: from the next request on only the current secret works (the cache
    /// gets the change from the commit hook, and drops the old secret's proof with it).
    func endGrace(_ key: APIKey, origin: RequestOrigin) async throws -> APIKey {
        let now = clock.now()
        return try await change(key, .keyGraceEnded, origin: origin) { key in try key.endGrace(now: now) }
    }

    func disable(_ key: APIKey, origin: RequestOrigin) async throws -> APIKey {
        let now = clock.now()
        return try await change(key, .keyDisabled, origin: origin) { key in try key.disable(now: now) }
    }

    func enable(_ key: APIKey, origin: RequestOrigin) async throws -> APIKey {
        let now = clock.now()
        return try await change(key, .keyEnabled, origin: origin) { key in try key.enable(now: now) }
    }

    /// Removes the key (its audit entries stay); its next verification answers NOT_FOUND.
    func delete(_ key: APIKey, origin: RequestOrigin) async throws {
        try await database.deleteKey(id: key.id.value, workspaceID: key.workspaceID, origin: origin, now: clock.now()) {
            [self] deleted in forget(deleted.id.value)
        }
    }

    /// Deletes the user: workspaces they alone were in go with every key; elsewhere their personal keys are disabled.
    func deleteAccount(id accountID: Int64, origin: RequestOrigin) async throws {
        try await database.deleteAccount(id: accountID, origin: origin, now: clock.now()) { [self] deleted, disabled in
            for keyID in deleted { forget(keyID) }
            for key in disabled { publish(key) }
        }
    }

    /// Deletes a workspace with all its projects and keys.
    func deleteWorkspace(_ id: WorkspaceID, origin: RequestOrigin) async throws {
        try await database.deleteWorkspace(id, origin: origin, now: clock.now()) { [self] keyIDs in
            cache.removeAll(workspaceID: id)
            for keyID in keyIDs { forget(keyID) }
        }
    }

    /// Deletes a project with all its keys.
    func deleteProject(_ id: ProjectID, in workspace: WorkspaceID, origin: RequestOrigin) async throws {
        try await database.deleteProject(id, in: workspace, origin: origin, now: clock.now()) { [self] keyIDs in
            for keyID in keyIDs { forget(keyID) }
        }
    }

    /// Removes a member (`actor` is the remover's role; nil when they leave themselves); their personal keys in the
    /// workspace are disabled.
    func removeMember(_ accountID: Int64, from workspace: WorkspaceID, actor: Role?, origin: RequestOrigin) async throws {
        try await database.removeMember(from: workspace, accountId: accountID, actor: actor, origin: origin, now: clock.now()) {
            [self] disabled in for key in disabled { publish(key) }
        }
    }

    /// Stores a re-encoding of the current secret made with today's Argon2 parameters (DESIGN §4).
    func upgradeSecretHash(of keyID: KeyID, from old: String, to new: String) async throws {
        _ = try await database.upgradeSecretHash(id: keyID.value, from: old, to: new, committed: publish)
    }

    // MARK: Helpers

    /// One change: the store's transaction, then — from its commit hook — the ledger and the cache.
    private func change(
        _ key: APIKey, _ action: AuditAction, detail: String? = nil, origin: RequestOrigin,
        _ rule: @escaping @Sendable (inout APIKey) throws -> Void
    ) async throws -> APIKey {
        try await database.changeKey(
            id: key.id.value, workspaceID: key.workspaceID, audit: action, detail: detail, origin: origin, now: clock.now(),
            committed: { [self] before, after in
                // A new quota starts a new balance in the store: a lease of the old one must not be spent from now
                // on. Compared with the row inside the transaction, not with the caller's copy, which may be older.
                if after.quota != before.quota { ledger.forget(after.id.value) }
                publish(after)
            }, rule)
    }

    @Sendable private func publish(_ key: APIKey) {
        if cache.put(key) {
            // The id filter is past its capacity: build a bigger one in the background; lookups go on meanwhile.
            Task { [cache, database] in try? await cache.rebuildFilter { try await database.allKeyIDs() } }
        }
    }

    private func forget(_ keyID: String) {
        cache.remove(keyID)
        ledger.forget(keyID)
        limiter.forget(keyID: keyID)
    }
}
