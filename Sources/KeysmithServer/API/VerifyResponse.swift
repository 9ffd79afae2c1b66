import Foundation
import KeysmithCore
import KeysmithStore

/// The verification answer (always 200). Key fields appear once the key is identified by its secret.
struct VerifyResponse: Encodable, Sendable {
    struct RateLimitState: Encodable, Sendable {
        let limit: Int
        let remaining: Int
        /// Unix seconds when the window resets.
        let reset: Int
    }

    let valid: Bool
    let code: VerificationCode
    let keyId: String?
    let name: String?
    let environment: KeyEnvironment?
    let scopes: [String]?
    let expiresAt: Date?
    let ratelimit: RateLimitState?
    let remaining: Int?
    let meta: JSONValue?
    let headers: [String: String]?

    init(code: VerificationCode) {
        self.init(KeyVerifier.Outcome(code: code, key: nil))
    }

    init(_ outcome: KeyVerifier.Outcome) {
        valid = outcome.isValid
        code = outcome.code
        let key = outcome.key
        keyId = key?.id.value
        name = key?.name
        environment = key?.environment
        scopes = key?.scopes.scopes.map(\.value)
        expiresAt = key?.expiresAt
        ratelimit = outcome.rateLimit.map {
            RateLimitState(limit: $0.limit, remaining: $0.remaining, reset: Int($0.reset.timeIntervalSince1970))
        }
        remaining = key == nil ? nil : outcome.quotaRemaining
        meta = key.map { .object($0.meta.object) }
        headers = key == nil ? nil : Dictionary(outcome.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }

    enum CodingKeys: String, CodingKey {
        case valid, code, keyId, name, environment, scopes, expiresAt, ratelimit, remaining, meta, headers
    }

    /// Once a key is identified its fields are all present (`null` when unset); before that only `valid` and `code`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(valid, forKey: .valid)
        try container.encode(code, forKey: .code)
        guard let keyId else { return }
        try container.encode(keyId, forKey: .keyId)
        try container.encode(name, forKey: .name)
        try container.encode(environment, forKey: .environment)
        try container.encode(scopes, forKey: .scopes)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(ratelimit, forKey: .ratelimit)
        try container.encode(remaining, forKey: .remaining)
        try container.encode(meta, forKey: .meta)
        try container.encode(headers, forKey: .headers)
    }
}
