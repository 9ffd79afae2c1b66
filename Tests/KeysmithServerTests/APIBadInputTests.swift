import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import Testing

/// What the JSON API answers to bodies and ids it cannot use (DESIGN §6): the status, the error envelope naming the
/// offending field, and no change at all.
@Suite struct APIBadInputTests {
    /// The routes that read a JSON body; verification is included as it takes its token in the body.
    static let bodyRoutes = [
        APIRoute(.post, "/api/v1/keys"), APIRoute(.patch, "/api/v1/keys/{id}"), APIRoute(.post, "/api/v1/keys/verify"),
    ]

    // MARK: Unreadable bodies

    @Test(arguments: bodyRoutes, [#"{"name": "CI""#, #"{"name": }"#, "{'name': 'CI'}", "nul", "[]", #""CI""#])
    func malformedJSONIsRefusedAs400BadJSONAndChangesNothing(route: APIRoute, body: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "existing"])
            let before = try await AccountState.of(app)

            let response = try await api.send(
                route.method, route.path.replacingOccurrences(of: "{id}", with: created.id), raw: body)

            try expectProblem(response, .badRequest, "BAD_JSON")
            #expect(try await AccountState.of(app) == before)
        }
    }

    @Test(arguments: bodyRoutes, ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
    func bodyOfAnotherMediaTypeIsRefusedAs415AndChangesNothing(route: APIRoute, contentType: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "existing"])
            let before = try await AccountState.of(app)

            let response = try await api.send(
                route.method, route.path.replacingOccurrences(of: "{id}", with: created.id),
                raw: #"{"name": "renamed", "token": "\#(created.token ?? "")"}"#, contentType: contentType)

            try expectProblem(response, .unsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE")
            #expect(try await AccountState.of(app) == before)
        }
    }

    @Test(arguments: bodyRoutes)
    func bodyOverSixtyFourKiBIsRefusedAs413AndChangesNothing(route: APIRoute) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "existing"])
            let before = try await AccountState.of(app)
            let padding = String(repeating: "a", count: 65 * 1024)

            let response = try await api.send(
                route.method, route.path.replacingOccurrences(of: "{id}", with: created.id),
                json: ["name": "renamed", "token": created.token ?? "", "padding": padding])

            try expectProblem(response, .contentTooLarge, "PAYLOAD_TOO_LARGE")
            #expect(try await AccountState.of(app) == before)
        }
    }

    // MARK: Fields

    /// A body with one bad field, and the field the answer must name.
    struct BadField: Sendable, CustomTestStringConvertible {
        let body: String
        let field: String
        var testDescription: String { "\(field): \(body.prefix(80))" }

        init(_ field: String, _ body: String) {
            self.field = field
            self.body = body
        }
    }

    static let wrongTypes = [
        BadField("name", #"{"name": 5}"#), BadField("scopes", #"{"name": "CI", "scopes": "keys:read"}"#),
        BadField("ipAllowlist.0", #"{"name": "CI", "ipAllowlist": [10]}"#),
        BadField("rateLimit.limit", #"{"name": "CI", "rateLimit": {"limit": "ten", "window": "minute"}}"#),
        BadField("responseHeaders.0.value", #"{"name": "CI", "responseHeaders": [{"name": "X-Team"}]}"#),
        BadField("activate", #"{"name": "CI", "activate": "yes"}"#),
    ]

    @Test(arguments: wrongTypes)
    func fieldOfTheWrongTypeIsRefusedAs422NamingTheField(bad: BadField) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)

            let response = try await api.send(.post, "/api/v1/keys", raw: bad.body)

            let fields = try expectProblem(response, .unprocessableContent, "VALIDATION")
            #expect(Array(fields.keys) == [bad.field])
            #expect(try await AccountState.of(app).keys.isEmpty)
        }
    }

    static let invalidValues = [
        BadField("name", #"{"name": ""}"#), BadField("name", #"{"name": "   "}"#),
        BadField("name", #"{"scopes": ["keys:read"]}"#),
        BadField("name", #"{"name": "\#(String(repeating: "n", count: 101))"}"#),
        BadField("environment", #"{"name": "CI", "environment": "staging"}"#),
        BadField("scopes", #"{"name": "CI", "scopes": ["not a scope"]}"#),
        BadField("ipAllowlist", #"{"name": "CI", "ipAllowlist": ["10.0.0.0/33"]}"#),
        BadField("ipAllowlist", #"{"name": "CI", "ipAllowlist": ["10.0.0.0/33"]}"#),
        BadField("ipAllowlist", #"{"name": "CI", "ipAllowlist": ["not-an-address"]}"#),
        BadField("expiresAt", #"{"name": "CI", "expiresAt": "2020-01-01T00:00:00Z"}"#),
        BadField("expiresAt", #"{"name": "CI", "expiresAt": "next tuesday"}"#),
        BadField("ttl", #"{"name": "CI", "ttl": "0d"}"#),
        BadField("rateLimit", #"{"name": "CI", "rateLimit": {"limit": 0, "window": "minute"}}"#),
        BadField("rateLimit", #"{"name": "CI", "rateLimit": {"limit": 10, "window": "fortnight"}}"#),
        BadField("quota", #"{"name": "CI", "quota": {"remaining": -1}}"#),
        BadField("responseHeaders", #"{"name": "CI", "responseHeaders": [{"name": "X-Who", "value": "${key.secret}"}]}"#),
        BadField("responseHeaders", #"{"name": "CI", "responseHeaders": [{"name": "Set-Cookie", "value": "a=b"}]}"#),
        BadField("meta", #"{"name": "CI", "meta": [1, 2]}"#), BadField("meta", #"{"name": "CI", "meta": "team"}"#),
        BadField("meta", #"{"name": "CI", "meta": {"blob": "\#(String(repeating: "m", count: 4100))"}}"#),
        BadField("secret", #"{"name": "CI", "tokenType": "custom", "secret": "too-short-secret"}"#),
        BadField("secret", #"{"name": "CI", "tokenType": "custom"}"#),
        BadField("secret", #"{"name": "CI", "secret": "a-custom-secret-for-a-generated-key"}"#),
    ]

    @Test(arguments: invalidValues)
    func invalidFieldIsRefusedAs422NamingTheFieldAndCreatesNothing(bad: BadField) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let before = try await AccountState.of(app)

            let response = try await api.send(.post, "/api/v1/keys", raw: bad.body)

            let fields = try expectProblem(response, .unprocessableContent, "VALIDATION")
            #expect(Array(fields.keys) == [bad.field])
            #expect(try await AccountState.of(app) == before)
            #expect(try await api.get("/api/v1/keys").json["data"] == .array([]))
        }
    }

    @Test func customSecretIsNeverEchoedInTheErrorAnswer() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await APIClient(session: browser).post(
                "/api/v1/keys", ["name": "CI", "tokenType": "custom", "secret": "short\u{7}secret"])

            try expectProblem(response, .unprocessableContent, "VALIDATION")
            #expect(!response.text.contains("short"))
        }
    }

    @Test func invalidPatchChangesNothing() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "CI", "rateLimit": ["limit": 5, "window": "second"]])
            let before = try await AccountState.of(app)

            let response = try await api.patch(
                "/api/v1/keys/\(created.id)", ["name": "", "scopes": ["bad scope"], "rateLimit": NSNull(), "description": "new"])

            let fields = try expectProblem(response, .unprocessableContent, "VALIDATION")
            #expect(Set(fields.keys) == ["name", "scopes"])
            #expect(try await AccountState.of(app) == before)
        }
    }

    @Test func duplicateNameIsRefusedAs409ConflictOnCreateAndRename() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            try await api.createKey(["name": "CI"])
            let other = try await api.createKey(["name": "deploy"])
            let before = try await AccountState.of(app)

            let created = try await api.post("/api/v1/keys", ["name": "CI", "environment": "sandbox"])
            let renamed = try await api.patch("/api/v1/keys/\(other.id)", ["name": "CI"])

            #expect(Array(try expectProblem(created, .conflict, "CONFLICT").keys) == ["name"])
            #expect(Array(try expectProblem(renamed, .conflict, "CONFLICT").keys) == ["name"])
            #expect(try await AccountState.of(app) == before)
        }
    }

    @Test func unknownFieldsInABodyAreIgnored() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)

            let created = try await api.post("/api/v1/keys", ["name": "CI", "colour": "blue", "id": "ks_live_AAAAAAAAAAAAAAAA"])
            let id = try #require(try created.json["id"]?.string)
            let patched = try await api.patch("/api/v1/keys/\(id)", ["owner": "someone", "status": "disabled"])

            #expect(created.status == .created)
            #expect(id != "ks_live_AAAAAAAAAAAAAAAA")
            #expect(try created.json["colour"] == nil)
            #expect(patched.status == .ok)
            #expect(try patched.json["status"] == .string("active"))
        }
    }

    // MARK: Ids and states

    @Test(arguments: APIManagementTests.keyRoutes)
    func unknownIdAndAnotherAccountsIdAnswerTheSame404(route: APIRoute) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            var bob = Browser(browser.client)
            try await bob.signUp(email: "bob@example.com")
            let bobsKey = try await APIClient(session: bob).createKey(["name": "bob's"])
            let before = try await AccountState.of(app, email: "bob@example.com")

            let unknown = try await route.send(as: api, id: "ks_live_AAAAAAAAAAAAAAAA")
            let malformed = try await route.send(as: api, id: "nope")
            let foreign = try await route.send(as: api, id: bobsKey.id)

            try expectProblem(foreign, .notFound, "NOT_FOUND")
            #expect(unknown.status == .notFound && unknown.text == foreign.text)
            #expect(malformed.status == .notFound && malformed.text == foreign.text)
            #expect(try await AccountState.of(app, email: "bob@example.com") == before)
        }
    }

    @Test(arguments: [#"{"grace": "2h"}"#, #"{"grace": "forever"}"#, #"{"grace": 3600}"#, #"{"grace": ""}"#])
    func invalidGraceIsRefusedAs422AndTheSecretStays(body: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "CI"])
            let before = try await AccountState.of(app)

            let response = try await api.send(.post, "/api/v1/keys/\(created.id)/rotate", raw: body)

            let fields = try expectProblem(response, .unprocessableContent, "VALIDATION")
            #expect(Array(fields.keys) == ["grace"])
            #expect(try await AccountState.of(app) == before)
            #expect(try await api.verify(token: try #require(created.token))["code"] == .string("VALID"))
        }
    }

    enum StateClash: String, CaseIterable, Sendable {
        case activateActive, enableActive, disableDisabled, disablePending, rotatePending, enablePending

        var action: String { ["activate", "enable", "disable", "rotate"].first { rawValue.hasPrefix($0) } ?? "" }
        var startsPending: Bool { rawValue.hasSuffix("Pending") }
    }

    @Test(arguments: StateClash.allCases)
    func actionTheKeysStatusDoesNotAllowIsRefusedAs409AndChangesNothing(clash: StateClash) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "CI", "activate": !clash.startsPending])
            if clash == .disableDisabled { try await api.post("/api/v1/keys/\(created.id)/disable") }
            let before = try await AccountState.of(app)
            app.clock.advance(by: 5)

            let response = try await api.post("/api/v1/keys/\(created.id)/\(clash.action)")

            try expectProblem(response, .conflict, "INVALID_STATE")
            #expect(try await AccountState.of(app) == before)
            #expect(!response.text.contains(created.id + "_"))
        }
    }

    // MARK: Verification bodies

    @Test(arguments: [
        BadField("token", #"{"project": "prj_0000000000000000"}"#),
        BadField("token", #"{"project": "prj_0000000000000000", "scope": "orders:read"}"#),
        BadField("ip", #"{"project": "prj_0000000000000000", "token": "ks_live_AAAAAAAAAAAAAAAA_x", "ip": "not-an-ip"}"#),
        BadField("scope", #"{"project": "prj_0000000000000000", "token": "ks_live_AAAAAAAAAAAAAAAA_x", "scope": "not a scope"}"#),
        BadField("token", #"{"project": "prj_0000000000000000", "token": 42}"#),
        BadField("project", #"{"project": "not-a-project", "token": "ks_live_AAAAAAAAAAAAAAAA_x"}"#),
    ])
    func verifyBodyWithoutACredentialOrWithABadCheckIsRefusedAs422(bad: BadField) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            let response = try await APIClient(client: browser.client).send(.post, "/api/v1/keys/verify", raw: bad.body)

            let fields = try expectProblem(response, .unprocessableContent, "VALIDATION")
            #expect(Array(fields.keys) == [bad.field])
        }
    }

    @Test func unknownAPIPathAnswersTheEnvelopeNotAPage() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await APIClient(session: browser).get("/api/v1/no-such-thing")

            try expectProblem(response, .notFound, "NOT_FOUND")
        }
    }
}
