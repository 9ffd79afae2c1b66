import Foundation
import GRDB
import KeysmithCore

/// An API key as stored. The secret exists only as Argon2id hashes: the current one and, during a rotation's grace
/// period, the previous one. Structured fields (scopes, allowlist, limits, headers, metadata) are JSON columns.
public struct APIKeyRecord: Codable, Sendable, Equatable, Identifiable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "apiKey"

    /// The public key id (`ks_live_…`), also the console URL.
    public var id: String
    public var accountId: Int64
    public var name: String
    public var description: String
    public var environment: KeyEnvironment
    public var ownerType: OwnerType
    public var scopes: ScopeSet
    public var tokenType: TokenType
    /// Stored status: pending, active or disabled; `expired` is derived from `expiresAt`.
    public var status: KeyStatus
    public var secretHash: String?
    /// `ks_live_7Hq2…wX9a`; nil until the key has a secret.
    public var hint: String?
    public var previousSecretHash: String?
    public var previousSecretExpiresAt: Date?
    public var expiresAt: Date?
    public var ipAllowlist: IPAllowlist
    public var rateLimit: RateLimit?
    public var quota: UsageQuota?
    /// What is left of the quota now; reset to `quota.remaining` on each refill.
    public var quotaRemaining: Int?
    public var quotaRefilledAt: Date?
    public var responseHeaders: [ResponseHeaderTemplate]
    /// Metadata as compact JSON text. GRDB hands single-value types the raw column, so the record keeps the text
    /// and `meta` parses it.
    public var metaJSON: String
    public var createdAt: Date
    public var updatedAt: Date
    public var activatedAt: Date?
    public var lastUsedAt: Date?
    public var lastUsedIp: String?

    public init(id: KeyID, accountId: Int64, spec: KeySpec, now: Date) {
        self.id = id.value
        self.accountId = accountId
        self.name = spec.name
        self.description = spec.description
        self.environment = spec.environment
        self.ownerType = spec.ownerType
        self.scopes = spec.scopes
        self.tokenType = spec.tokenType
        self.status = .pending
        self.expiresAt = spec.expiresAt
        self.ipAllowlist = spec.ipAllowlist
        self.rateLimit = spec.rateLimit
        self.quota = spec.quota
        self.quotaRemaining = spec.quota?.remaining
        self.quotaRefilledAt = spec.quota == nil ? nil : now
        self.responseHeaders = spec.responseHeaders
        self.metaJSON = spec.meta.json
        self.createdAt = now
        self.updatedAt = now
    }

    public var meta: KeyMetadata { (try? KeyMetadata.parse(json: metaJSON).get()) ?? .empty }

    /// The status to show and enforce at `now`.
    public func effectiveStatus(now: Date) -> KeyStatus { status.effective(expiresAt: expiresAt, now: now) }

    /// Applies the editable fields of `spec`; environment, token type and secret never change after creation.
    public mutating func apply(_ spec: KeySpec, now: Date) {
        name = spec.name
        description = spec.description
        ownerType = spec.ownerType
        scopes = spec.scopes
        expiresAt = spec.expiresAt
        ipAllowlist = spec.ipAllowlist
        if rateLimit != spec.rateLimit { rateLimit = spec.rateLimit }
        if quota != spec.quota {
            quota = spec.quota
            quotaRemaining = spec.quota?.remaining
            quotaRefilledAt = spec.quota == nil ? nil : now
        }
        responseHeaders = spec.responseHeaders
        metaJSON = spec.meta.json
        updatedAt = now
    }

    enum CodingKeys: String, CodingKey {
        case id, accountId, name, description, environment, ownerType, scopes, tokenType, status, secretHash, hint
        case previousSecretHash, previousSecretExpiresAt, expiresAt, ipAllowlist, rateLimit, quota, quotaRemaining,
            quotaRefilledAt
        case responseHeaders, metaJSON = "meta", createdAt, updatedAt, activatedAt, lastUsedAt, lastUsedIp
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let accountId = Column(CodingKeys.accountId)
        public static let name = Column(CodingKeys.name)
        public static let description = Column(CodingKeys.description)
        public static let environment = Column(CodingKeys.environment)
        public static let status = Column(CodingKeys.status)
        public static let hint = Column(CodingKeys.hint)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let createdAt = Column(CodingKeys.createdAt)
        public static let lastUsedAt = Column(CodingKeys.lastUsedAt)
    }
}
