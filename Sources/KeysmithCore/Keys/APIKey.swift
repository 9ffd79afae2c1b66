import Foundation

/// An API key as the domain knows it: what the console and API show, what verification checks, and the rules of
/// every change. The stores persist it; the hot path caches it. The secret exists only as Argon2id hashes.
public struct APIKey: Hashable, Sendable, Identifiable {
    /// The public key id (`ks_live_…`), also the console URL.
    public let id: KeyID
    /// The project whose gates accept the key, and the workspace that project belongs to.
    public let projectID: ProjectID
    public let workspaceID: WorkspaceID
    /// The user who created it (nil when an admin key did, or for keys migrated without one); a `personal` key is
    /// bound to this member and is disabled when they leave the workspace.
    public let creatorID: Int64?
    public var name: String
    public var description: String
    public var ownerType: OwnerType
    public var scopes: ScopeSet
    public let tokenType: TokenType
    /// Stored status: pending, active or disabled; `expired` is derived from `expiresAt`.
    public private(set) var status: KeyStatus
    public private(set) var secrets: KeySecrets
    public var expiresAt: Date?
    public var ipAllowlist: IPAllowlist
    public var rateLimit: RateLimit?
    public private(set) var quota: UsageQuota?
    /// Present exactly when `quota` is; what the store holds, leases already taken out of it.
    public private(set) var quotaBalance: QuotaBalance?
    public var responseHeaders: [ResponseHeaderTemplate]
    public var meta: KeyMetadata
    public let createdAt: Date
    public var updatedAt: Date
    public private(set) var activatedAt: Date?
    public var lastUsedAt: Date?
    public var lastUsedIP: String?

    /// Everything, as a store reads it back.
    public init(
        id: KeyID, projectID: ProjectID, workspaceID: WorkspaceID, creatorID: Int64?, name: String, description: String,
        ownerType: OwnerType, scopes: ScopeSet,
        tokenType: TokenType, status: KeyStatus, secrets: KeySecrets, expiresAt: Date?, ipAllowlist: IPAllowlist,
        rateLimit: RateLimit?, quota: UsageQuota?, quotaBalance: QuotaBalance?, responseHeaders: [ResponseHeaderTemplate],
        meta: KeyMetadata, createdAt: Date, updatedAt: Date, activatedAt: Date?, lastUsedAt: Date?, lastUsedIP: String?
    ) {
        self.id = id
        self.projectID = projectID
        self.workspaceID = workspaceID
        self.creatorID = creatorID
        self.name = name
        self.description = description
        self.ownerType = ownerType
        self.scopes = scopes
        self.tokenType = tokenType
        self.status = status
        self.secrets = secrets
        self.expiresAt = expiresAt
        self.ipAllowlist = ipAllowlist
        self.rateLimit = rateLimit
        self.quota = quota
        self.quotaBalance = quota.map { quota in quotaBalance ?? QuotaBalance(fresh: quota, now: createdAt) }
        self.responseHeaders = responseHeaders
        self.meta = meta
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.activatedAt = activatedAt
        self.lastUsedAt = lastUsedAt
        self.lastUsedIP = lastUsedIP
    }

    /// A new, pending key from a validated spec; a custom key already carries its (hashed) secret.
    public init(
        id: KeyID, projectID: ProjectID, workspaceID: WorkspaceID, creatorID: Int64?, spec: KeySpec,
        customSecret: KeySecrets.Stored?, now: Date
    ) {
        self.init(
            id: id, projectID: projectID, workspaceID: workspaceID, creatorID: creatorID, name: spec.name,
            description: spec.description, ownerType: spec.ownerType,
            scopes: spec.scopes, tokenType: spec.tokenType, status: .pending,
            secrets: KeySecrets(current: customSecret), expiresAt: spec.expiresAt, ipAllowlist: spec.ipAllowlist,
            rateLimit: spec.rateLimit, quota: spec.quota, quotaBalance: nil, responseHeaders: spec.responseHeaders,
            meta: spec.meta, createdAt: now, updatedAt: now, activatedAt: nil, lastUsedAt: nil, lastUsedIP: nil
        )
    }

    public var environment: KeyEnvironment { id.environment }

    /// The current secret's hint (`ks_live_7Hq2…wX9a`); nil until the key has a secret.
    public var hint: String? { secrets.current?.hint }

    /// The status to show and enforce at `now`.
    public func effectiveStatus(now: Date) -> KeyStatus { status.effective(expiresAt: expiresAt, now: now) }

    /// The checks verification makes once the secret matched.
    public var accessPolicy: KeyAccessPolicy {
        KeyAccessPolicy(status: status, expiresAt: expiresAt, ipAllowlist: ipAllowlist, scopes: scopes)
    }
}

// MARK: Changes — the rules every store and the cache apply alike

extension APIKey {
    /// Applies the editable fields of `spec`; environment, token type and secret never change after creation.
    /// A changed quota starts a fresh balance; `keepingExpiry` leaves the expiry as it is, whatever `spec` says.
    public mutating func edit(_ spec: KeySpec, keepingExpiry: Bool = false, now: Date) {
        name = spec.name
        description = spec.description
        ownerType = spec.ownerType
        scopes = spec.scopes
        if !keepingExpiry { expiresAt = spec.expiresAt }
        ipAllowlist = spec.ipAllowlist
        rateLimit = spec.rateLimit
        if quota != spec.quota {
            quota = spec.quota
            quotaBalance = spec.quota.map { QuotaBalance(fresh: $0, now: now) }
        }
        responseHeaders = spec.responseHeaders
        meta = spec.meta
        updatedAt = now
    }

    /// pending → active, with its first secret (a custom key keeps the one it was created with).
    public mutating func activate(with secret: KeySecrets.Stored?, now: Date) throws(KeyError) {
        status = try status.applying(.activate)
        if let secret { secrets = secrets.activated(with: secret) }
        (activatedAt, updatedAt) = (now, now)
    }

    /// A new secret; the old one keeps working for `grace`, and secrets already in grace keep theirs.
    public mutating func rotate(to secret: KeySecrets.Stored, grace: RotationGrace, now: Date) throws(KeyError) {
        status = try status.applying(.rotate)
        secrets = secrets.rotated(to: secret, grace: grace, now: now)
        updatedAt = now
    }

    /// Ends the grace of every rotated-out secret: from now on only the current secret works. Refused when no old
    /// secret is in grace at `now` (a stale page, a double click), so nothing is written or audited for nothing.
    public mutating func endGrace(now: Date) throws(KeyError) {
        guard secrets.graceEnds(after: now) != nil else {
            throw KeyError.invalid(["grace": "No old secret is in its grace period any more."])
        }
        secrets = secrets.endingGrace()
        updatedAt = now
    }

    public mutating func disable(now: Date) throws(KeyError) {
        status = try status.applying(.disable)
        updatedAt = now
    }

    public mutating func enable(now: Date) throws(KeyError) {
        status = try status.applying(.enable)
        updatedAt = now
    }

    /// Stores a re-encoding of the current secret (raised Argon2 parameters); false when the secret changed meanwhile.
    /// Not an edit: `updatedAt` stays.
    public mutating func upgradeSecretHash(from old: String, to new: String) -> Bool {
        guard let upgraded = secrets.upgrading(currentHash: old, to: new) else { return false }
        secrets = upgraded
        return true
    }

    /// Takes a slice of the balance (refilled first when due) as a lease, sized by `QuotaLease.slice`; nil for a key
    /// without quota. The lease may hold no units: the quota is spent until the next refill.
    public mutating func leaseQuota(maxSlice: Int, now: Date) -> QuotaLease? {
        guard let quota, var balance = quotaBalance?.refilled(for: quota, now: now) else { return nil }
        let units = balance.take(upTo: QuotaLease.slice(remaining: balance.remaining, maxSlice: maxSlice))
        quotaBalance = balance
        return QuotaLease(
            period: balance.periodStart, refillsAt: balance.refillsAt(for: quota), units: units,
            storeRemainder: balance.remaining
        )
    }

    /// Gives a lease's unspent units back to the balance they came from (nothing if it has been refilled or edited).
    public mutating func returnQuota(_ units: Int, leasedIn period: Date) {
        guard let quota, var balance = quotaBalance else { return }
        balance.giveBack(units, leasedIn: period, cap: quota.remaining)
        quotaBalance = balance
    }

    /// Records a use, keeping the newest when batches arrive out of order.
    public mutating func recordUse(at date: Date, ip: String?) {
        guard lastUsedAt.map({ date >= $0 }) ?? true else { return }
        (lastUsedAt, lastUsedIP) = (date, ip)
    }
}
