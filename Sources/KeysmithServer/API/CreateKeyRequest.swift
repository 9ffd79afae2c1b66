import Foundation
import KeysmithCore

/// `POST /api/v1/keys`. Unknown fields are ignored; every known one is checked by `KeyDraft.validate`.
struct CreateKeyRequest: Decodable, Sendable {
    let name: String?
    let description: String?
    let environment: String?
    let ownerType: String?
    let scopes: [String]?
    let tokenType: String?
    let secret: String?
    let expiresAt: String?
    let ttl: String?
    let ipAllowlist: [String]?
    let rateLimit: RateLimitBody?
    let quota: QuotaBody?
    let responseHeaders: [HeaderBody]?
    let meta: JSONValue?
    let activate: Bool?

    var draft: KeyDraft {
        KeyDraft(
            name: name ?? "", description: description ?? "", environment: environment ?? KeyEnvironment.live.rawValue,
            ownerType: ownerType ?? OwnerType.personal.rawValue, scopes: scopes ?? [],
            tokenType: tokenType ?? TokenType.generated.rawValue, secret: secret, expiresAt: expiresAt, ttl: ttl,
            ipAllowlist: ipAllowlist ?? [], rateLimit: rateLimit.map { String($0.limit) },
            rateLimitWindow: rateLimit?.window, quota: quota.map { String($0.remaining) }, quotaRefill: quota?.refill,
            responseHeaders: responseHeaders?.map(\.draft) ?? [], meta: meta.map(\.jsonText)
        )
    }
}

extension JSONValue {
    /// Compact JSON text, for the draft's metadata field (which validates text, as the form sends it).
    var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
