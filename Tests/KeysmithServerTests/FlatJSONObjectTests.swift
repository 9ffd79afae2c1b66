import Foundation
import HTTPTypes
import KeysmithCore
import KeysmithStore
import Testing

@testable import KeysmithServer

/// The verification body's fast path reads only what it can read exactly; everything else goes to `JSONDecoder`.
struct FlatJSONObjectTests {
    @Test(arguments: [
        (#"{"token":"ks_live_abc"}"#, ["token": "ks_live_abc"]),
        (" {\n \"token\" : \"a\" ,\t\"scope\":\"orders:read\" }\n", ["token": "a", "scope": "orders:read"]),
        (#"{}"#, [:]),
        (#"{"name":"Zoë ✓"}"#, ["name": "Zoë ✓"]),
    ])
    func flatObjectsOfPlainStringsAreRead(json: String, expected: [String: String]) {
        #expect(FlatJSONObject.strings(in: Array(json.utf8)) == expected)
    }

    @Test(arguments: [
        #"{"token":"a\"b"}"#, #"{"token":"\u0041"}"#, #"{"token":null}"#, #"{"token":1}"#, #"{"token":["a"]}"#,
        #"{"token":"a","token":"b"}"#, #"{"token":"a"} x"#, #"{"token":"a",}"#, #"["a"]"#, #""a""#, #"{"token":"a""#,
        "{\"token\":\"a\u{01}\"}",
    ])
    func anythingElseIsLeftToTheFullDecoder(json: String) {
        #expect(FlatJSONObject.strings(in: Array(json.utf8)) == nil)
    }

    @Test func aBodyTheFastPathLeavesAloneIsStillVerifiedOrRefusedExactly() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let key = try await APIClient(session: browser).createKey(["name": "escaped"])
            let token = try #require(key.token)
            let api = APIClient(client: browser.client)

            // `\u005f` is `_`: the same token, written with an escape.
            let escaped = token.replacingOccurrences(of: "_", with: #"\u005f"#)
            let project = try await defaultProject(app).id
            let valid = try await api.send(
                .post, "/api/v1/keys/verify", raw: #"{"project": "\#(project)", "token": "\#(escaped)"}"#)
            let null = try await api.send(.post, "/api/v1/keys/verify", raw: #"{"project": "\#(project)", "token": null}"#)

            #expect(try valid.json["code"] == .string("VALID"))
            try expectProblem(null, .unprocessableContent, "VALIDATION")
        }
    }
}
