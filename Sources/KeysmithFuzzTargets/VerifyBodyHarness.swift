import Foundation
import KeysmithCore

@testable import KeysmithServer

/// The verification body's fast path (`FlatJSONObject`, no `JSONDecoder`) against `JSONDecoder`: whatever the fast
/// path reads is valid JSON with the same strings, so a gate's answer never depends on which path read its body.
/// Then the checks `VerificationAPIController.verify` makes before any lookup.
///
/// Input: a request body, such as `{"project": "prj_…", "token": "ks_live_…"}`.
enum VerifyBodyHarness {
    static func run(_ input: [UInt8]) throws(PropertyViolation) {
        let text = String(decoding: input, as: UTF8.self)
        let decoded = Result { try JSONDecoder().decode(VerifyRequest.self, from: Data(input)) }
        let body: VerifyRequest
        if let strings = FlatJSONObject.strings(in: input) {
            guard case .success(let slow) = decoded else {
                throw PropertyViolation(
                    description: "the fast path reads \(text) as \(strings), JSONDecoder refuses it: \(decoded)")
            }
            let all = try? JSONDecoder().decode([String: String].self, from: Data(input))
            try expect(all == strings, "the fast path reads \(text) as \(strings), JSONDecoder as \(all ?? [:])")
            body = VerifyRequest(strings: strings)
            let fields = [
                (body.project, slow.project), (body.token, slow.token), (body.key, slow.key), (body.secret, slow.secret),
                (body.scope, slow.scope), (body.ip, slow.ip),
            ]
            try expect(fields.allSatisfy { $0 == $1 }, "the fast path and JSONDecoder read \(text) differently")
        } else if case .success(let slow) = decoded {
            body = slow
        } else {
            return
        }
        _ = body.project.map(ProjectID.init)
        _ = body.shapeError
        _ = body.scope.map(Scope.parse)
        _ = body.ip.map(IPAddress.init)
        _ = try? PresentedCredential(
            apiKey: body.token ?? body.key, apiSecret: body.token == nil ? body.secret : nil, authorization: nil)
    }
}
