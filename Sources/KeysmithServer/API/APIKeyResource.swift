import Foundation
import KeysmithCore

/// A key as the JSON API shows it (DESIGN §6): every public field, nulls included, never a secret or a hash.
/// `token` is set only on the response of the call that made the secret. Keys in sorted order (see `JSONWriter`).
struct APIKeyResource: JSONWritable {
    let key: APIKey
    /// `effectiveStatus` at the time of the answer.
    let status: KeyStatus
    /// What the caller knows is left of the quota: the stored balance plus this node's unspent lease.
    let quotaRemaining: Int?
    let token: String?

    init(_ key: APIKey, now: Date, quotaRemaining: Int? = nil, token: String? = nil) {
        self.key = key
        self.status = key.effectiveStatus(now: now)
        self.quotaRemaining = key.quota == nil ? nil : quotaRemaining ?? key.quotaBalance?.remaining
        self.token = token
    }

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("activatedAt", key.activatedAt)
            json.field("createdAt", key.createdAt)
            json.field("description", key.description)
            json.field("environment", key.environment.rawValue)
            json.field("expiresAt", key.expiresAt)
            json.field("hint", key.hint)
            json.field("id", key.id.value)
            json.field("ipAllowlist", key.ipAllowlist.entries)
            json.field("lastUsedAt", key.lastUsedAt)
            json.field("lastUsedIp", key.lastUsedIP)
            json.key("meta")
            json.raw(key.meta.json)
            json.field("name", key.name)
            json.field("ownerType", key.ownerType.rawValue)
            json.field("projectId", key.projectID.value)
            json.key("quota")
            if let quota = key.quota {
                json.object { json in
                    json.field("refill", quota.refill?.rawValue)
                    json.field("remaining", quota.remaining)
                }
            } else {
                json.null()
            }
            json.field("quotaRemaining", quotaRemaining)
            json.key("rateLimit")
            if let rateLimit = key.rateLimit {
                json.object { json in
                    json.field("limit", rateLimit.limit)
                    json.field("window", rateLimit.window.rawValue)
                }
            } else {
                json.null()
            }
            json.key("responseHeaders")
            json.array(key.responseHeaders) { json, header in
                json.object { json in
                    json.field("exclude", header.exclude)
                    json.field("name", header.name)
                    json.field("value", header.value)
                }
            }
            json.field("scopes", key.scopes.scopes.map(\.value))
            json.field("status", status.rawValue)
            if let token { json.field("token", token) }
            json.field("tokenType", key.tokenType.rawValue)
            json.field("updatedAt", key.updatedAt)
        }
    }
}
