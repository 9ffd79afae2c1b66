import Foundation
import KeysmithCore
import KeysmithStore

/// `PATCH /api/v1/keys/{id}`: only the fields sent change; `null` clears expiry, rate limit and quota.
/// Environment, token type and secret are fixed at creation: asking to change one is 422 on that field, not a silent
/// no-op.
struct UpdateKeyRequest: Decodable, Sendable {
    let name: Patch<String>
    let description: Patch<String>
    let ownerType: Patch<String>
    let scopes: Patch<[String]>
    let expiresAt: Patch<String>
    let ttl: Patch<String>
    let ipAllowlist: Patch<[String]>
    let rateLimit: Patch<RateLimitBody>
    let quota: Patch<QuotaBody>
    let responseHeaders: Patch<[HeaderBody]>
    let meta: Patch<JSONValue>

    enum CodingKeys: String, CodingKey {
        case name, description, ownerType, scopes, expiresAt, ttl, ipAllowlist, rateLimit, quota, responseHeaders, meta
    }

    /// What `POST /keys` takes but no edit can change. Sent with the stored value (a key read and sent back whole)
    /// they change nothing; with another value they are 422 (`fixedFieldChange(of:)`).
    let environment: String?
    let tokenType: String?
    let sendsSecret: Bool

    private enum FixedAtCreation: String, CodingKey {
        case environment, tokenType, secret
    }

    init(from decoder: any Decoder) throws {
        let fixed = try decoder.container(keyedBy: FixedAtCreation.self)
        environment = try fixed.decodeIfPresent(String.self, forKey: .environment)
        tokenType = try fixed.decodeIfPresent(String.self, forKey: .tokenType)
        sendsSecret = fixed.contains(.secret)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodePatch(String.self, forKey: .name)
        description = try container.decodePatch(String.self, forKey: .description)
        ownerType = try container.decodePatch(String.self, forKey: .ownerType)
        scopes = try container.decodePatch([String].self, forKey: .scopes)
        expiresAt = try container.decodePatch(String.self, forKey: .expiresAt, nullable: true)
        ttl = try container.decodePatch(TTLValue.self, forKey: .ttl).map(\.text)
        ipAllowlist = try container.decodePatch([String].self, forKey: .ipAllowlist)
        rateLimit = try container.decodePatch(RateLimitBody.self, forKey: .rateLimit, nullable: true)
        quota = try container.decodePatch(QuotaBody.self, forKey: .quota, nullable: true)
        responseHeaders = try container.decodePatch([HeaderBody].self, forKey: .responseHeaders)
        meta = try container.decodePatch(JSONValue.self, forKey: .meta, nullable: true)
    }

    /// The field and message when the request asks to change what is fixed at creation; a secret changes only by
    /// rotation, and is never shown, so sending one at all is asking to change it.
    func fixedFieldChange(of key: APIKey) -> (field: String, message: String)? {
        if sendsSecret { return ("secret", "A key's secret changes only by rotation: POST /api/v1/keys/{id}/rotate.") }
        if let environment, environment != key.environment.rawValue {
            return ("environment", "Fixed when the key is created (this key is \(key.environment.rawValue)); create a new key.")
        }
        if let tokenType, tokenType != key.tokenType.rawValue {
            return ("tokenType", "Fixed when the key is created (this key is \(key.tokenType.rawValue)); create a new key.")
        }
        return nil
    }

    /// True when the stored expiry stays: neither `expiresAt` nor `ttl` was sent.
    var keepsExpiry: Bool {
        if case .absent = expiresAt, case .absent = ttl { return true }
        return false
    }

    /// The stored key with this request's changes, as a full draft for validation.
    func draft(merging key: APIKey) -> KeyDraft {
        var draft = KeyDraft(
            name: key.name, description: key.description, environment: key.environment.rawValue,
            ownerType: key.ownerType.rawValue, scopes: key.scopes.scopes.map(\.value), tokenType: key.tokenType.rawValue,
            ipAllowlist: key.ipAllowlist.entries, rateLimit: key.rateLimit.map { String($0.limit) },
            rateLimitWindow: key.rateLimit?.window.rawValue, quota: key.quota.map { String($0.remaining) },
            quotaRefill: key.quota?.refill?.rawValue, responseHeaders: key.responseHeaders.map(\.draft), meta: key.meta.json
        )
        if case .value(let name) = name { draft.name = name }
        if case .value(let description) = description { draft.description = description }
        if case .value(let ownerType) = ownerType { draft.ownerType = ownerType }
        if case .value(let scopes) = scopes { draft.scopes = scopes }
        if case .value(let expiresAt) = expiresAt { draft.expiresAt = expiresAt }
        if case .value(let ttl) = ttl { draft.ttl = ttl }
        if case .value(let entries) = ipAllowlist {
            draft.ipAllowlist = entries
        } else if case .null = ipAllowlist {
            draft.ipAllowlist = []
        }
        switch rateLimit {
        case .absent: break
        case .null: (draft.rateLimit, draft.rateLimitWindow) = (nil, nil)
        case .value(let limit): (draft.rateLimit, draft.rateLimitWindow) = (String(limit.limit), limit.window)
        }
        switch quota {
        case .absent: break
        case .null: (draft.quota, draft.quotaRefill) = (nil, nil)
        case .value(let quota): (draft.quota, draft.quotaRefill) = (String(quota.remaining), quota.refill)
        }
        if case .value(let headers) = responseHeaders { draft.responseHeaders = headers.map(\.draft) }
        switch meta {
        case .absent: break
        case .null: draft.meta = nil
        case .value(let meta): draft.meta = meta.jsonText
        }
        return draft
    }
}
