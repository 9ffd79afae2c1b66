import Foundation
import KeysmithCore
import KeysmithStore

/// A key as the JSON API shows it (DESIGN §6): every public field, nulls included, never a secret or a hash.
/// `token` is set only on the response of the call that made the secret.
struct APIKeyResource: Encodable, Sendable {
    struct Limit: Encodable, Sendable {
        let limit: Int
        let window: RateLimitWindow
    }

    struct Quota: Encodable, Sendable {
        let remaining: Int
        let refill: QuotaRefill?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(remaining, forKey: .remaining)
            try container.encode(refill, forKey: .refill)
        }

        enum CodingKeys: String, CodingKey { case remaining, refill }
    }

    struct Header: Encodable, Sendable {
        let name: String
        let value: String
        let exclude: Bool
    }

    let id: String
    let name: String
    let description: String
    let environment: KeyEnvironment
    let ownerType: OwnerType
    let scopes: [String]
    let tokenType: TokenType
    let status: KeyStatus
    let hint: String?
    let expiresAt: Date?
    let ipAllowlist: [String]
    let rateLimit: Limit?
    let quota: Quota?
    var quotaRemaining: Int?
    let responseHeaders: [Header]
    let meta: JSONValue
    let createdAt: Date
    let updatedAt: Date
    let activatedAt: Date?
    let lastUsedAt: Date?
    let lastUsedIp: String?
    var token: String?

    /// `quotaRemaining` is what the caller knows is left: the stored balance plus this node's unspent lease.
    init(_ key: APIKey, now: Date, quotaRemaining: Int? = nil, token: String? = nil) {
        id = key.id.value
        name = key.name
        description = key.description
        environment = key.environment
        ownerType = key.ownerType
        scopes = key.scopes.scopes.map(\.value)
        tokenType = key.tokenType
        status = key.effectiveStatus(now: now)
        hint = key.hint
        expiresAt = key.expiresAt
        ipAllowlist = key.ipAllowlist.entries
        rateLimit = key.rateLimit.map { Limit(limit: $0.limit, window: $0.window) }
        quota = key.quota.map { Quota(remaining: $0.remaining, refill: $0.refill) }
        self.quotaRemaining = key.quota == nil ? nil : quotaRemaining ?? key.quotaBalance?.remaining
        responseHeaders = key.responseHeaders.map { Header(name: $0.name, value: $0.value, exclude: $0.exclude) }
        meta = .object(key.meta.object)
        createdAt = key.createdAt
        updatedAt = key.updatedAt
        activatedAt = key.activatedAt
        lastUsedAt = key.lastUsedAt
        lastUsedIp = key.lastUsedIP
        self.token = token
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, environment, ownerType, scopes, tokenType, status, hint, expiresAt, ipAllowlist, rateLimit
        case quota, quotaRemaining, responseHeaders, meta, createdAt, updatedAt, activatedAt, lastUsedAt, lastUsedIp, token
    }

    /// Optional fields are written as `null` rather than left out, so every response has the same shape.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(environment, forKey: .environment)
        try container.encode(ownerType, forKey: .ownerType)
        try container.encode(scopes, forKey: .scopes)
        try container.encode(tokenType, forKey: .tokenType)
        try container.encode(status, forKey: .status)
        try container.encode(hint, forKey: .hint)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(ipAllowlist, forKey: .ipAllowlist)
        try container.encode(rateLimit, forKey: .rateLimit)
        try container.encode(quota, forKey: .quota)
        try container.encode(quotaRemaining, forKey: .quotaRemaining)
        try container.encode(responseHeaders, forKey: .responseHeaders)
        try container.encode(meta, forKey: .meta)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
        try container.encode(activatedAt, forKey: .activatedAt)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(lastUsedIp, forKey: .lastUsedIp)
        try container.encodeIfPresent(token, forKey: .token)
    }
}
