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
    /// `active`, `pending` or `disabled` (`KeyStatus.initialCases`); the older `activate: false` means `pending`.
    let status: String?

    enum CodingKeys: String, CodingKey {
        case name, description, environment, ownerType, scopes, tokenType, secret, expiresAt, ttl, ipAllowlist, rateLimit, quota
        case responseHeaders, meta, activate, status
    }

    /// Only `rateLimit`, `quota` and `meta` may be `null` (meaning none); other fields are left out or given.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresentNotNull(String.self, forKey: .name)
        description = try container.decodeIfPresentNotNull(String.self, forKey: .description)
        environment = try container.decodeIfPresentNotNull(String.self, forKey: .environment)
        ownerType = try container.decodeIfPresentNotNull(String.self, forKey: .ownerType)
        scopes = try container.decodeIfPresentNotNull([String].self, forKey: .scopes)
        tokenType = try container.decodeIfPresentNotNull(String.self, forKey: .tokenType)
        secret = try container.decodeIfPresentNotNull(String.self, forKey: .secret)
        expiresAt = try container.decodeIfPresentNotNull(String.self, forKey: .expiresAt)
        ttl = try container.decodeIfPresentNotNull(TTLValue.self, forKey: .ttl)?.text
        ipAllowlist = try container.decodeIfPresentNotNull([String].self, forKey: .ipAllowlist)
        rateLimit = try container.decodeIfPresent(RateLimitBody.self, forKey: .rateLimit)
        quota = try container.decodeIfPresent(QuotaBody.self, forKey: .quota)
        responseHeaders = try container.decodeIfPresentNotNull([HeaderBody].self, forKey: .responseHeaders)
        meta = try container.decodeIfPresent(JSONValue.self, forKey: .meta)
        activate = try container.decodeIfPresentNotNull(Bool.self, forKey: .activate)
        status = try container.decodeIfPresentNotNull(String.self, forKey: .status)
    }

    /// The status the key starts in: `status` if given, else from `activate` (default active). A status that
    /// contradicts `activate` is refused rather than one of them silently winning.
    func initialStatus() throws(KeyError) -> KeyStatus {
        guard let status else { return activate == false ? .pending : .active }
        guard let initial = KeyStatus(initial: status) else {
            throw .invalid(["status": "A new key starts active, pending or disabled."])
        }
        if let activate, activate != (initial != .pending) {
            throw .invalid(["status": "“activate”: \(activate) contradicts “status”: “\(status)”; send only “status”."])
        }
        return initial
    }

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
