import Foundation
import KeysmithCore

/// The verification answer (always 200). Key fields appear once the key is identified by its secret; before that
/// only `valid` and `code`. Keys in sorted order (see `JSONWriter`).
struct VerifyResponse: JSONWritable {
    let outcome: KeyVerifier.Outcome

    init(code: VerificationCode) {
        self.init(KeyVerifier.Outcome(code: code, key: nil))
    }

    init(_ outcome: KeyVerifier.Outcome) {
        self.outcome = outcome
    }

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("code", outcome.code.rawValue)
            guard let key = outcome.key else {
                json.field("valid", outcome.isValid)
                return
            }
            json.field("environment", key.environment.rawValue)
            json.field("expiresAt", key.expiresAt)
            json.key("headers")
            json.object { json in
                // A later header of the same name wins.
                let headers = Dictionary(outcome.headers.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
                for (name, value) in headers.sorted(by: { $0.key < $1.key }) { json.field(name, value) }
            }
            json.field("keyId", key.id.value)
            json.key("meta")
            json.raw(key.meta.json)
            json.field("name", key.name)
            json.key("ratelimit")
            if let decision = outcome.rateLimit {
                json.object { json in
                    json.field("limit", decision.limit)
                    json.field("remaining", decision.remaining)
                    json.field("reset", Int(decision.reset.timeIntervalSince1970))
                }
            } else {
                json.null()
            }
            json.field("remaining", outcome.quotaRemaining)
            json.field("scopes", key.scopes.scopes.map(\.value))
            json.field("valid", outcome.isValid)
        }
    }
}
