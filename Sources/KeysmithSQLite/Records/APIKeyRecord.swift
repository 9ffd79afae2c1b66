import Foundation
import GRDB
import KeysmithCore
import KeysmithStore

/// The `apiKey` table's shape. The store hands out `APIKey` (KeysmithCore) and keeps this to itself; structured
/// fields (scopes, allowlist, limits, headers, retired secrets, metadata) are JSON columns.
struct APIKeyRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "apiKey"

    var id: String
    var projectId: ProjectID
    var workspaceId: WorkspaceID
    var creatorId: Int64?
    var name: String
    var description: String
    var environment: KeyEnvironment
    var ownerType: OwnerType
    var scopes: ScopeSet
    var tokenType: TokenType
    var status: KeyStatus
    /// The current secret's Argon2id hash and hint; nil while a generated key is pending.
    var secretHash: String?
    var hint: String?
    /// Rotated-out secrets still (or until recently) in grace, as JSON text: kept raw like `metaJSON`, so the rows of a
    /// list (almost all `[]`) cost no JSONDecoder.
    var retiredSecretsJSON: String
    var expiresAt: Date?
    var ipAllowlist: IPAllowlist
    var rateLimit: RateLimit?
    var quota: UsageQuota?
    var quotaRemaining: Int?
    var quotaRefilledAt: Date?
    var responseHeaders: [ResponseHeaderTemplate]
    /// Metadata as compact JSON text. GRDB hands single-value types the raw column, so the record keeps the text.
    var metaJSON: String
    var createdAt: Date
    var updatedAt: Date
    var activatedAt: Date?
    var lastUsedAt: Date?
    var lastUsedIp: String?

    init(_ key: APIKey) {
        id = key.id.value
        projectId = key.projectID
        workspaceId = key.workspaceID
        creatorId = key.creatorID
        name = key.name
        description = key.description
        environment = key.environment
        ownerType = key.ownerType
        scopes = key.scopes
        tokenType = key.tokenType
        status = key.status
        secretHash = key.secrets.current?.hash
        hint = key.secrets.current?.hint
        retiredSecretsJSON = Self.json(key.secrets.retired)
        expiresAt = key.expiresAt
        ipAllowlist = key.ipAllowlist
        rateLimit = key.rateLimit
        quota = key.quota
        quotaRemaining = key.quotaBalance?.remaining
        quotaRefilledAt = key.quotaBalance?.periodStart
        responseHeaders = key.responseHeaders
        metaJSON = key.meta.json
        createdAt = key.createdAt
        updatedAt = key.updatedAt
        activatedAt = key.activatedAt
        lastUsedAt = key.lastUsedAt
        lastUsedIp = key.lastUsedIP
    }

    /// The domain key; a row whose id does not parse is corrupt and throws.
    func key() throws -> APIKey {
        let current = secretHash.map { KeySecrets.Stored(hash: $0, hint: hint ?? "") }
        let balance = quota.map { quota in
            QuotaBalance(remaining: quotaRemaining ?? quota.remaining, periodStart: quotaRefilledAt ?? createdAt)
        }
        return APIKey(
            id: try KeyID(id), projectID: IDInterner.project(projectId), workspaceID: IDInterner.workspace(workspaceId),
            creatorID: creatorId, name: name,
            description: description, ownerType: ownerType,
            scopes: scopes, tokenType: tokenType, status: status,
            secrets: KeySecrets(current: current, retired: try Self.retired(retiredSecretsJSON)), expiresAt: expiresAt,
            ipAllowlist: ipAllowlist, rateLimit: rateLimit, quota: quota, quotaBalance: balance,
            responseHeaders: responseHeaders, meta: (try? KeyMetadata.parse(json: metaJSON).get()) ?? .empty,
            createdAt: createdAt, updatedAt: updatedAt, activatedAt: activatedAt, lastUsedAt: lastUsedAt,
            lastUsedIP: lastUsedIp
        )
    }

    /// Strings and dates only: encoding cannot fail.
    private static func json(_ retired: [KeySecrets.Retired]) -> String {
        guard !retired.isEmpty, let data = try? APIKeyRecord.databaseJSONEncoder(for: "retiredSecrets").encode(retired) else {
            return "[]"
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func retired(_ json: String) throws -> [KeySecrets.Retired] {
        guard json != "[]" else { return [] }
        return try APIKeyRecord.databaseJSONDecoder(for: "retiredSecrets").decode(
            [KeySecrets.Retired].self, from: Data(json.utf8))
    }

    enum CodingKeys: String, CodingKey {
        case id, projectId, workspaceId, creatorId, name, description, environment, ownerType, scopes, tokenType, status,
            secretHash, hint
        case retiredSecretsJSON = "retiredSecrets", expiresAt, ipAllowlist, rateLimit, quota, quotaRemaining, quotaRefilledAt
        case responseHeaders, metaJSON = "meta", createdAt, updatedAt, activatedAt, lastUsedAt, lastUsedIp
    }

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let projectId = Column(CodingKeys.projectId)
        static let workspaceId = Column(CodingKeys.workspaceId)
        static let creatorId = Column(CodingKeys.creatorId)
        static let ownerType = Column(CodingKeys.ownerType)
        static let name = Column(CodingKeys.name)
        static let environment = Column(CodingKeys.environment)
        static let status = Column(CodingKeys.status)
        static let expiresAt = Column(CodingKeys.expiresAt)
        static let createdAt = Column(CodingKeys.createdAt)
        static let lastUsedAt = Column(CodingKeys.lastUsedAt)
    }
}
