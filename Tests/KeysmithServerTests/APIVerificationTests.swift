import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import NIOCore
import Testing

/// What services call (DESIGN §6): `GET /whoami` and `GET /auth` with the key in the headers, `POST /keys/verify`
/// with the token in the body. Router tests have no socket peer, so the client address is unknown on the header
/// routes (and `X-Forwarded-For` from a trusted proxy cannot be exercised here); allowlists are tested through
/// `/keys/verify`'s `ip`.
@Suite struct APIVerificationTests {
    static let missingKeyBody = #"{"error":{"code":"MISSING_API_KEY","message":"Missing API key"}}"#
    static let invalidKeyBody = #"{"error":{"code":"INVALID_API_KEY","message":"Invalid or inactive API key"}}"#

    // MARK: The seed 401 answers

    @Test(arguments: [nil, "Basic YWxhZGRpbjpvcGVuc2VzYW1l"])
    func whoamiWithoutAKeyAnswersTheMissingKeyBodyExactly(authorization: String?) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            let api = APIClient(client: browser.client, headers: authorization.map { [.authorization: $0] } ?? [:])

            let response = try await api.get("/api/v1/whoami")

            #expect(response.status == .unauthorized)
            #expect(response.text == Self.missingKeyBody)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    enum BadKey: String, CaseIterable, Sendable {
        case garbageBearer, garbageAPIKey, emptyBearer, unknownKey, wrongSecret, wrongSecretInTwoHeaders, badChecksum
        case secretWithoutKeyID

        func headers(id: String, token: String) throws -> HTTPFields {
            switch self {
            case .garbageBearer: [.authorization: "Bearer not-a-key"]
            case .garbageAPIKey: [APIClient.apiKeyHeader: "not-a-key"]
            case .emptyBearer: [.authorization: "Bearer"]
            case .unknownKey:
                [.authorization: "Bearer \(APIKeyToken.generate(for: .generate(prefix: .default, environment: .live)).value)"]
            case .wrongSecret: [.authorization: "Bearer \(APIKeyToken.generate(for: try KeyID(id)).value)"]
            case .wrongSecretInTwoHeaders:
                [APIClient.apiKeyHeader: id, APIClient.apiSecretHeader: APIKeyToken.generate(for: try KeyID(id)).secret]
            case .badChecksum: [.authorization: "Bearer \(corrupted(token))"]
            case .secretWithoutKeyID: [APIClient.apiSecretHeader: String(token.dropFirst(id.count + 1))]
            }
        }
    }

    @Test(arguments: BadKey.allCases)
    func whoamiWithAWrongOrGarbledKeyAnswersTheInvalidKeyBodyExactly(key: BadKey) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await APIClient(session: browser).createKey(["name": "CI"])
            let api = APIClient(
                client: browser.client, headers: try key.headers(id: created.id, token: try #require(created.token)))

            let response = try await api.get("/api/v1/whoami")

            #expect(response.status == .unauthorized)
            #expect(response.text == Self.invalidKeyBody)
            #expect(try await app.database.key(id: created.id)?.lastUsedAt == nil)
        }
    }

    // MARK: whoami and forward auth

    enum Presentation: String, CaseIterable, Sendable {
        case bearerToken, apiKeyToken, apiKeyAndSecret

        func headers(id: String, token: String) -> HTTPFields {
            switch self {
            case .bearerToken: [.authorization: "Bearer \(token)"]
            case .apiKeyToken: [APIClient.apiKeyHeader: token]
            case .apiKeyAndSecret: [APIClient.apiKeyHeader: id, APIClient.apiSecretHeader: String(token.dropFirst(id.count + 1))]
            }
        }
    }

    /// A key whose response headers use every kind of placeholder, plus one excluded header.
    static func headerKey() -> [String: Any] {
        [
            "name": "Billing", "environment": "sandbox", "scopes": ["orders:read"], "quota": ["remaining": 10],
            "responseHeaders": [
                ["name": "X-Team", "value": "billing"], ["name": "X-Key-Id", "value": "${key.id}"],
                ["name": "X-Key-Name", "value": "${key.name}"], ["name": "X-Account-Id", "value": "acct-${account.id}"],
                ["name": "X-Key-Environment", "value": "${key.environment}"], ["name": "X-Key-Scopes", "value": "${key.scopes}"],
                ["name": "X-Quota-Remaining", "value": "${quota.remaining}"],
                ["name": "X-Internal", "value": "kept but not sent", "exclude": true],
            ],
        ]
    }

    /// Requires the headers `headerKey()` defines for the key `id` after its first use.
    static func expectKeyHeaders(_ response: TestResponse, id: String, workspace: WorkspaceID) {
        #expect(response.headers[HTTPField.Name("X-Team")!] == "billing")
        #expect(response.headers[HTTPField.Name("X-Key-Id")!] == id)
        #expect(response.headers[HTTPField.Name("X-Key-Name")!] == "Billing")
        #expect(response.headers[HTTPField.Name("X-Account-Id")!] == "acct-\(workspace)")
        #expect(response.headers[HTTPField.Name("X-Key-Environment")!] == "sandbox")
        #expect(response.headers[HTTPField.Name("X-Key-Scopes")!] == "orders:read")
        #expect(response.headers[HTTPField.Name("X-Quota-Remaining")!] == "9")
        #expect(response.headers[HTTPField.Name("X-Internal")!] == nil)
    }

    @Test(arguments: Presentation.allCases)
    func whoamiAcceptsEachPresentationAndSendsTheKeysHeadersFilledIn(presentation: Presentation) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await APIClient(session: browser).createKey(Self.headerKey())
            let token = try #require(created.token)
            let api = APIClient(client: browser.client, headers: presentation.headers(id: created.id, token: token))

            let response = try await api.get("/api/v1/whoami")

            #expect(response.status == .ok)
            let body = try response.json
            #expect(body["id"] == .string(created.id))
            #expect(body["name"] == .string("Billing"))
            #expect(body["environment"] == .string("sandbox"))
            #expect(body["token"] == nil)
            #expect(!response.text.contains(token.dropFirst(created.id.count + 1)))
            Self.expectKeyHeaders(response, id: created.id, workspace: try await defaultProject(app).workspaceId)
        }
    }

    @Test(arguments: Presentation.allCases)
    func forwardAuthAcceptsEachPresentationWithTheKeysHeadersAndAnEmptyBody(presentation: Presentation) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await APIClient(session: browser).createKey(Self.headerKey())
            let api = APIClient(
                client: browser.client, headers: presentation.headers(id: created.id, token: try #require(created.token)))

            let project = try await defaultProject(app)
            let response = try await api.get("/api/v1/auth?project=\(project.id)")

            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
            #expect(response.headers[HTTPField.Name("X-Keysmith-Key-Id")!] == created.id)
            #expect(response.headers[HTTPField.Name("X-Keysmith-Project-Id")!] == project.id.value)
            #expect(response.headers[HTTPField.Name("X-Keysmith-Workspace-Id")!] == project.workspaceId.value)
            Self.expectKeyHeaders(response, id: created.id, workspace: try await defaultProject(app).workspaceId)
        }
    }

    @Test func forwardAuthRequiresTheScopeAskedForAndAKey() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await APIClient(session: browser).createKey(["name": "reader", "scopes": ["orders:read"]])
            let asKey = APIClient(token: try #require(created.token), client: browser.client)

            let gate = "/api/v1/auth?project=\(try await defaultProject(app).id)"
            let lacking = try await asKey.get("\(gate)&scope=orders:write")
            let held = try await asKey.get("\(gate)&scope=orders:read")
            let anonymous = try await APIClient(client: browser.client).get("\(gate)&scope=orders:read")

            try expectProblem(lacking, .forbidden, "INSUFFICIENT_SCOPE")
            #expect(held.status == .ok)
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.text == Self.missingKeyBody)
        }
    }

    @Test func keyWithAnAllowlistIsRefusedOnWhoamiWhenTheClientAddressIsUnknown() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await APIClient(session: browser).createKey(["name": "CI", "ipAllowlist": ["10.0.0.0/8"]])

            let response = try await APIClient(token: try #require(created.token), client: browser.client).get("/api/v1/whoami")

            try expectProblem(response, .forbidden, "IP_NOT_ALLOWED")
        }
    }

    // MARK: Limits

    @Test func rateLimitRefusesTheThirdCallInAMinuteWithRetryAfterUntilTheWindowPasses() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await APIClient(session: browser).createKey([
                "name": "CI", "rateLimit": ["limit": 2, "window": "minute"],
            ])
            let asKey = APIClient(token: try #require(created.token), client: browser.client)
            let reset = "\(1_800_000_000 + 60)"
            let first = try await asKey.get("/api/v1/whoami")
            let second = try await asKey.get("/api/v1/whoami")
            app.clock.advance(by: 20)

            let third = try await asKey.get("/api/v1/whoami")

            #expect(first.status == .ok && second.status == .ok)
            #expect(first.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "1")
            #expect(second.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "0")
            try expectProblem(third, .tooManyRequests, "RATE_LIMITED")
            #expect(third.headers[.retryAfter] == "40")
            #expect(third.headers[HTTPField.Name("X-RateLimit-Limit")!] == "2")
            #expect(third.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "0")
            #expect(third.headers[HTTPField.Name("X-RateLimit-Reset")!] == reset)
            app.clock.advance(by: 40)
            let later = try await asKey.get("/api/v1/whoami")
            #expect(later.status == .ok)
            #expect(later.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "1")
            let usage = try await APIClient(session: browser).get("/api/v1/keys/\(created.id)/usage?days=1").json
            #expect(usage["data"]?[0]?["count"] == .integer(3), "the refused call is not counted")
        }
    }

    @Test func monthlyQuotaRefusesWhenUsedUpUntilTheFirstOfTheNextMonth() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await APIClient(session: browser).createKey(
                ["name": "CI", "quota": ["remaining": 2, "refill": "monthly"]])
            let asKey = APIClient(token: try #require(created.token), client: browser.client)
            #expect(try await asKey.get("/api/v1/whoami").status == .ok)
            #expect(try await asKey.get("/api/v1/whoami").status == .ok)

            let exhausted = try await asKey.get("/api/v1/whoami")

            try expectProblem(exhausted, .tooManyRequests, "USAGE_EXCEEDED")
            let firstOfFebruary: TimeInterval = 1_801_440_000  // 2027-02-01T00:00:00Z
            #expect(exhausted.headers[.retryAfter] == "\(Int(firstOfFebruary - 1_800_000_000))")
            app.clock.advance(by: firstOfFebruary - 1_800_000_000 - 1)
            try expectProblem(try await asKey.get("/api/v1/whoami"), .tooManyRequests, "USAGE_EXCEEDED")
            app.clock.advance(by: 1)
            #expect(try await asKey.get("/api/v1/whoami").status == .ok)
            #expect(try await app.database.key(id: created.id)?.quotaBalance?.remaining == 1)
        }
    }

    @Test func quotaWithoutRefillStaysUsedUp() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await APIClient(session: browser).createKey(["name": "CI", "quota": ["remaining": 2]])
            let asKey = APIClient(token: try #require(created.token), client: browser.client)
            #expect(try await asKey.get("/api/v1/whoami").status == .ok)
            #expect(try await asKey.get("/api/v1/whoami").status == .ok)

            let exhausted = try await asKey.get("/api/v1/whoami")
            app.clock.advance(by: 40 * 86_400)
            let nextMonth = try await asKey.get("/api/v1/whoami")

            try expectProblem(exhausted, .tooManyRequests, "USAGE_EXCEEDED")
            try expectProblem(nextMonth, .tooManyRequests, "USAGE_EXCEEDED")
            #expect(try await app.database.key(id: created.id)?.quotaBalance?.remaining == 0)
        }
    }

    // MARK: POST /keys/verify

    enum VerifyCase: String, CaseIterable, Sendable {
        case valid, keyAndSecret, allowedAddress, unknownKey, wrongSecret, pending, pendingWithoutSecret, disabled, expired
        case addressNotAllowed
        case insufficientScope, rateLimited, usageExceeded, badChecksum, notAToken

        var code: String {
            switch self {
            case .valid, .keyAndSecret, .allowedAddress: "VALID"
            // A pending generated key has no secret yet: it answers like an unknown id, so ids reveal nothing.
            case .unknownKey, .wrongSecret, .pendingWithoutSecret: "NOT_FOUND"
            case .pending: "PENDING"
            case .disabled: "DISABLED"
            case .expired: "EXPIRED"
            case .addressNotAllowed: "IP_NOT_ALLOWED"
            case .insufficientScope: "INSUFFICIENT_SCOPE"
            case .rateLimited: "RATE_LIMITED"
            case .usageExceeded: "USAGE_EXCEEDED"
            case .badChecksum, .notAToken: "MALFORMED"
            }
        }

        /// Whether the answer identifies the key (its fields present): not for an unknown key or a bad token, and not
        /// for a pending key, which may not be used yet.
        var identifiesKey: Bool {
            ![.unknownKey, .wrongSecret, .badChecksum, .notAToken, .pending, .pendingWithoutSecret].contains(self)
        }

        static let customSecret = "a-custom-secret-for-a-pending-key!"

        /// Makes the key this case needs and returns the verify body that presents it.
        func prepare(_ api: APIClient, _ app: TestApp) async throws -> (body: [String: Any], keyID: String) {
            var key: [String: Any] = ["name": "CI", "activate": self != .pending && self != .pendingWithoutSecret]
            switch self {
            case .pending: (key["tokenType"], key["secret"]) = ("custom", Self.customSecret)
            case .expired: key["ttl"] = "1h"
            case .allowedAddress, .addressNotAllowed: key["ipAllowlist"] = ["10.0.0.0/8"]
            case .insufficientScope: key["scopes"] = ["orders:read"]
            case .rateLimited: key["rateLimit"] = ["limit": 1, "window": "minute"]
            case .usageExceeded: key["quota"] = ["remaining": 1]
            default: break
            }
            let created = try await api.createKey(key)
            let id = created.id
            let token = created.token ?? ""
            switch self {
            case .disabled: try await api.post("/api/v1/keys/\(id)/disable")
            case .expired: app.clock.advance(by: 3600)
            case .rateLimited, .usageExceeded: #expect(try await api.verify(token: token)["code"] == .string("VALID"))
            default: break
            }
            switch self {
            case .keyAndSecret: return (["key": id, "secret": try #require(created.secret)], id)
            case .allowedAddress: return (["token": token, "ip": "10.1.2.3"], id)
            case .addressNotAllowed: return (["token": token, "ip": "192.0.2.1"], id)
            case .insufficientScope: return (["token": token, "scope": "orders:write"], id)
            case .unknownKey:
                return (["token": APIKeyToken.generate(for: .generate(prefix: .default, environment: .live)).value], id)
            case .wrongSecret, .pendingWithoutSecret: return (["token": APIKeyToken.generate(for: try KeyID(id)).value], id)
            case .pending: return (["key": id, "secret": Self.customSecret], id)
            case .badChecksum: return (["token": corrupted(token)], id)
            case .notAToken: return (["token": "not a token at all"], id)
            default: return (["token": token], id)
            }
        }
    }

    @Test(arguments: VerifyCase.allCases)
    func verifyAnswers200WithTheCodeForTheKeysState(scenario: VerifyCase) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            var (body, id) = try await scenario.prepare(APIClient(session: browser), app)
            body["project"] = try await defaultProject(app).id.value

            let response = try await APIClient(client: browser.client).post("/api/v1/keys/verify", body)

            #expect(response.status == .ok)
            let answer = try response.json
            #expect(answer["code"] == .string(scenario.code))
            #expect(answer["valid"] == .bool(scenario.code == "VALID"))
            if scenario.identifiesKey {
                #expect(answer["keyId"] == .string(id))
            } else {
                #expect(answer.object.map { Set($0.keys) } == ["valid", "code"], "reveals nothing about the key")
            }
        }
    }

    @Test func verifyOfAValidKeyAnswersItsPublicFields() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await APIClient(session: browser).createKey([
                "name": "Billing", "environment": "sandbox", "scopes": ["orders:read"], "ttl": "30d",
                "ipAllowlist": ["10.0.0.0/8"], "rateLimit": ["limit": 100, "window": "minute"], "quota": ["remaining": 5000],
                "responseHeaders": [
                    ["name": "X-Team", "value": "billing"], ["name": "X-Client-Ip", "value": "${request.ip}"],
                    ["name": "X-Rate-Left", "value": "${ratelimit.remaining}"],
                    ["name": "X-Internal", "value": "no", "exclude": true],
                ],
                "meta": ["plan": "pro", "seats": 5],
            ])

            let answer = try await APIClient(client: browser.client).verify(
                token: try #require(created.token), scope: "orders:read", ip: "10.1.2.3")

            #expect(
                answer
                    == json(
                        """
                        {"valid": true, "code": "VALID", "keyId": "\(created.id)", "name": "Billing", "environment": "sandbox",
                         "scopes": ["orders:read"], "expiresAt": "2027-02-14T08:00:00Z",
                         "ratelimit": {"limit": 100, "remaining": 99, "reset": 1800000060}, "remaining": 4999,
                         "meta": {"plan": "pro", "seats": 5},
                         "headers": {"X-Team": "billing", "X-Client-Ip": "10.1.2.3", "X-Rate-Left": "99"}}
                        """
                    ))
        }
    }

    @Test func successfulVerificationRecordsLastUseAndUsageButARefusedOneDoesNot() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "CI", "ipAllowlist": ["10.0.0.0/8"]])
            let token = try #require(created.token)
            app.clock.advance(by: 60)

            #expect(try await api.verify(token: token, ip: "192.0.2.1")["code"] == .string("IP_NOT_ALLOWED"))
            #expect(try await app.database.key(id: created.id)?.lastUsedAt == nil)
            #expect(try await api.verify(token: token, ip: "10.1.2.3")["code"] == .string("VALID"))

            // Reading the key writes this node's pending uses first, so the answer and the store agree.
            let shown = try await api.get("/api/v1/keys/\(created.id)").json
            #expect(shown["lastUsedAt"] == .string("2027-01-15T08:01:00Z"))
            #expect(shown["lastUsedIp"] == .string("10.1.2.3"))
            let stored = try #require(try await app.database.key(id: created.id))
            #expect(stored.lastUsedAt == app.clock.now)
            #expect(stored.lastUsedIP == "10.1.2.3")
            #expect(try await app.database.keyUsage(id: created.id, days: 1, now: app.clock.now).first?.count == 1)
        }
    }

    @Test func anotherAccountsKeyCannotReadThisAccountsKeys() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let annsKey = try await APIClient(session: browser).createKey(["name": "ann's", "scopes": ["orders:read"]])
            var bob = Browser(browser.client)
            try await bob.signUp(email: "bob@example.com")
            let bobsKey = try await APIClient(session: bob).createKey(["name": "bob's", "scopes": ["orders:read"]])
            let bobsAdmin = try await APIClient(session: bob).createAdminKey([
                "name": "bob's admin", "permissions": ["keys:read", "audit:read"],
            ])
            let asBob = APIClient(token: bobsAdmin.token, client: browser.client)

            let shown = try await asBob.get("/api/v1/keys/\(annsKey.id)")
            let usage = try await asBob.get("/api/v1/keys/\(annsKey.id)/usage")
            let listed = try await asBob.get("/api/v1/keys")
            let audit = try await asBob.get("/api/v1/audit")

            try expectProblem(shown, .notFound, "NOT_FOUND")
            try expectProblem(usage, .notFound, "NOT_FOUND")
            #expect(try listed.json["data"]?.array?.compactMap { $0["id"]?.string } == [bobsKey.id])
            #expect(!audit.text.contains(annsKey.id))
            let bobsToken = try #require(bobsKey.token)
            #expect(
                try await APIClient(token: bobsToken, client: browser.client).get("/api/v1/whoami").json["id"]
                    == .string(bobsKey.id))
        }
    }
}

/// The token with one character of its secret's random part changed, so its checksum no longer matches.
func corrupted(_ token: String) -> String {
    var characters = Array(token)
    let index = characters.count - 10
    characters[index] = characters[index] == "A" ? "B" : "A"
    return String(characters)
}
