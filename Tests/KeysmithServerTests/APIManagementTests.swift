import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import Testing

/// `/api/v1/keys…` and `/api/v1/audit` (DESIGN §6): a console session with `X-CSRF-Token`, or a key of the account.
@Suite struct APIManagementTests {
    /// Every writable field of DESIGN §6, with values that differ from the defaults.
    static func everyField() -> [String: Any] {
        [
            "name": "Billing", "description": "Charges cards for the shop.", "environment": "sandbox", "ownerType": "service",
            "scopes": ["keys:read", "orders:*"], "tokenType": "generated", "ttl": "90d",
            "ipAllowlist": ["10.0.0.0/8", "192.168.178.0 255.255.255.0", "2001:db8::/32"],
            "rateLimit": ["limit": 100, "window": "minute"], "quota": ["remaining": 5000, "refill": "monthly"],
            "responseHeaders": [
                ["name": "X-Team", "value": "billing", "exclude": false],
                ["name": "X-Key-Id", "value": "${key.id}", "exclude": true],
            ],
            "meta": ["tier": 2, "team": "billing"],
        ]
    }

    /// DESIGN §6's read fields: every key answer has all of them, `null` when unset.
    static let resourceFields: Set<String> = [
        "id", "name", "description", "environment", "ownerType", "scopes", "tokenType", "expiresAt", "ipAllowlist", "rateLimit",
        "quota", "responseHeaders", "meta", "hint", "status", "createdAt", "updatedAt", "activatedAt", "lastUsedAt", "lastUsedIp",
        "projectId",
    ]

    // MARK: Create and read

    @Test func creatingAKeyWithEveryFieldAnswers201WithItsLocationEveryFieldAndTheTokenOnce() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)

            let response = try await api.post("/api/v1/keys", Self.everyField())

            #expect(response.status == .created)
            let body = try response.json
            let id = try #require(body["id"]?.string)
            #expect(id.wholeMatch(of: /ks_sandbox_[0-9A-Za-z]{16}/) != nil)
            #expect(response.headers[.location] == "/api/v1/keys/\(id)")
            #expect(response.headers[.cacheControl] == "no-store")
            let token = try #require(body["token"]?.string)
            #expect(token.wholeMatch(of: /ks_sandbox_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}/) != nil)
            #expect(token.hasPrefix(id + "_"))
            #expect(response.text.components(separatedBy: token.dropFirst(id.count + 1)).count == 2, "the secret appears once")
            #expect(Set(try #require(body.object).keys) == Self.resourceFields.union(["token", "quotaRemaining"]))
            #expect(body["name"] == .string("Billing"))
            #expect(body["description"] == .string("Charges cards for the shop."))
            #expect(body["environment"] == .string("sandbox"))
            #expect(body["ownerType"] == .string("service"))
            #expect(Set(try #require(body["scopes"]?.array)) == [.string("keys:read"), .string("orders:*")])
            #expect(body["tokenType"] == .string("generated"))
            #expect(body["status"] == .string("active"))
            #expect(body["hint"] == .string("\(id.prefix(12))…\(token.suffix(4))"))
            #expect(body["expiresAt"] == .string("2027-04-15T08:00:00Z"))
            #expect(body["ipAllowlist"] == json(#"["10.0.0.0/8", "192.168.178.0/24", "2001:db8::/32"]"#))
            #expect(body["rateLimit"] == json(#"{"limit": 100, "window": "minute"}"#))
            #expect(body["quota"] == json(#"{"remaining": 5000, "refill": "monthly"}"#))
            #expect(
                body["responseHeaders"]
                    == json(
                        #"[{"name": "X-Team", "value": "billing", "exclude": false}, {"name": "X-Key-Id", "value": "${key.id}", "exclude": true}]"#
                    ))
            #expect(body["meta"] == json(#"{"team": "billing", "tier": 2}"#))
            #expect(body["createdAt"] == .string("2027-01-15T08:00:00Z"))
            #expect(body["updatedAt"] == .string("2027-01-15T08:00:00Z"))
            #expect(body["activatedAt"] == .string("2027-01-15T08:00:00Z"))
            #expect(body["lastUsedAt"] == .null)
            #expect(body["lastUsedIp"] == .null)
            let project = try await defaultProject(app).id.value
            #expect(body["projectId"] == .string(project))
            #expect(try await api.verify(token: token, ip: "10.1.2.3", project: project)["code"] == .string("VALID"))
        }
    }

    @Test func keyAnswerWritesUnsetFieldsAsNullInsteadOfLeavingThemOut() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)

            let created = try await api.createKey(["name": "CI"])

            let body = created.body
            #expect(Set(try #require(body.object).keys).isSuperset(of: Self.resourceFields))
            for field in ["expiresAt", "rateLimit", "quota", "lastUsedAt", "lastUsedIp"] {
                #expect(body[field] == .null, "\(field)")
            }
            #expect(body["description"] == .string(""))
            #expect(body["environment"] == .string("live"))
            #expect(body["ownerType"] == .string("personal"))
            #expect(body["scopes"] == .array([]))
            #expect(body["ipAllowlist"] == .array([]))
            #expect(body["responseHeaders"] == .array([]))
            #expect(body["meta"] == .object([:]))
        }
    }

    @Test func readingOrListingAKeyNeverShowsItsToken() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "CI"])
            let secret = try #require(created.secret)

            let shown = try await api.get("/api/v1/keys/\(created.id)")
            let listed = try await api.get("/api/v1/keys")

            #expect(shown.status == .ok)
            #expect(try shown.json["id"] == .string(created.id))
            #expect(try shown.json["token"] == nil)
            #expect(try shown.json["secret"] == nil)
            #expect(try listed.json["data"]?[0]?["token"] == nil)
            #expect(!shown.text.contains(secret) && !listed.text.contains(secret))
            #expect(try #require(try await app.database.key(id: created.id)).secrets.current?.hash.contains(secret) == false)
        }
    }

    @Test func keyCreatedWithActivateFalseIsPendingWithoutTokenUntilActivated() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)

            let pending = try await api.createKey(["name": "later", "activate": false])

            #expect(pending.token == nil)
            #expect(pending.body["token"] == nil)
            #expect(pending.body["status"] == .string("pending"))
            #expect(pending.body["hint"] == .null)
            #expect(pending.body["activatedAt"] == .null)
            #expect(try #require(try await app.database.key(id: pending.id)).secrets.current?.hash == nil)
            app.clock.advance(by: 60)
            let activated = try await api.post("/api/v1/keys/\(pending.id)/activate")
            #expect(activated.status == .ok)
            let token = try #require(try activated.json["token"]?.string)
            #expect(token.hasPrefix(pending.id + "_"))
            #expect(try activated.json["status"] == .string("active"))
            #expect(try activated.json["activatedAt"] == .string("2027-01-15T08:01:00Z"))
            #expect(try await api.verify(token: token)["code"] == .string("VALID"))
            #expect(try await api.get("/api/v1/keys/\(pending.id)").json["token"] == nil)
        }
    }

    // MARK: Actions

    @Test func rotationWithAnHourOfGraceKeepsTheOldTokenWorkingForTheHourOnly() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "CI"])
            let old = try #require(created.token)

            let rotated = try await api.post("/api/v1/keys/\(created.id)/rotate", ["grace": "1h"])

            #expect(rotated.status == .ok)
            let new = try #require(try rotated.json["token"]?.string)
            #expect(new != old && new.hasPrefix(created.id + "_"))
            #expect(try rotated.json["hint"] == .string("\(created.id.prefix(12))…\(new.suffix(4))"))
            #expect(try await api.verify(token: old)["code"] == .string("VALID"))
            #expect(try await api.verify(token: new)["code"] == .string("VALID"))
            app.clock.advance(by: 3599)
            #expect(try await api.verify(token: old)["code"] == .string("VALID"))
            app.clock.advance(by: 2)
            #expect(try await api.verify(token: old)["code"] == .string("NOT_FOUND"))
            #expect(try await api.verify(token: new)["code"] == .string("VALID"))
        }
    }

    @Test func rotationWithoutABodyEndsTheOldTokenAtOnce() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "CI"])

            let rotated = try await api.post("/api/v1/keys/\(created.id)/rotate")

            #expect(rotated.status == .ok)
            let new = try #require(try rotated.json["token"]?.string)
            #expect(try await api.verify(token: try #require(created.token))["code"] == .string("NOT_FOUND"))
            #expect(try await api.verify(token: new)["code"] == .string("VALID"))
        }
    }

    @Test func disabledKeyIsRefusedByWhoamiUntilEnabledAgain() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "CI"])
            let asKey = APIClient(token: try #require(created.token), client: browser.client)
            #expect(try await asKey.get("/api/v1/whoami").status == .ok)

            let disabled = try await api.post("/api/v1/keys/\(created.id)/disable")

            #expect(disabled.status == .ok)
            #expect(try disabled.json["status"] == .string("disabled"))
            let refused = try await asKey.get("/api/v1/whoami")
            #expect(refused.status == .unauthorized)
            #expect(refused.text == #"{"error":{"code":"INVALID_API_KEY","message":"Invalid or inactive API key"}}"#)
            let enabled = try await api.post("/api/v1/keys/\(created.id)/enable")
            #expect(enabled.status == .ok)
            #expect(try enabled.json["status"] == .string("active"))
            #expect(try await asKey.get("/api/v1/whoami").status == .ok)
        }
    }

    // MARK: Update and delete

    @Test func patchChangesOnlyTheFieldsSentAndNullClearsTheRateLimit() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(Self.everyField())
            app.clock.advance(by: 10)

            let response = try await api.patch(
                "/api/v1/keys/\(created.id)",
                ["name": "Billing v2", "scopes": ["orders:read"], "ipAllowlist": ["203.0.113.0/24"], "rateLimit": NSNull()]
            )

            #expect(response.status == .ok)
            let body = try response.json
            #expect(body["name"] == .string("Billing v2"))
            #expect(body["scopes"] == json(#"["orders:read"]"#))
            #expect(body["ipAllowlist"] == json(#"["203.0.113.0/24"]"#))
            #expect(body["rateLimit"] == .null)
            for unchanged in [
                "id", "description", "environment", "ownerType", "tokenType", "status", "hint", "expiresAt", "quota",
                "responseHeaders", "meta", "createdAt", "activatedAt",
            ] {
                #expect(body[unchanged] == created.body[unchanged], "\(unchanged)")
            }
            #expect(body["updatedAt"] == .string("2027-01-15T08:00:10Z"))
            #expect(body["token"] == nil)
            #expect(try await api.get("/api/v1/keys/\(created.id)").json == body)
            #expect(try await api.verify(token: try #require(created.token), ip: "203.0.113.5")["code"] == .string("VALID"))
        }
    }

    @Test func deleteAnswersItsMessageAndTheKeyStopsVerifyingAtOnce() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "CI"])
            let token = try #require(created.token)
            #expect(try await api.verify(token: token)["code"] == .string("VALID"))

            let response = try await api.delete("/api/v1/keys/\(created.id)")

            #expect(response.status == .ok)
            #expect(response.text == #"{"message":"API key deleted"}"#)
            #expect(try await api.verify(token: token) == json(#"{"valid": false, "code": "NOT_FOUND"}"#))
            try expectProblem(try await api.get("/api/v1/keys/\(created.id)"), .notFound, "NOT_FOUND")
            #expect(try await app.database.key(id: created.id) == nil)
            let audit = try await api.get("/api/v1/audit?limit=1").json
            #expect(audit["data"]?[0]?["action"] == .string("key.deleted"))
            #expect(audit["data"]?[0]?["subject"] == .string(created.id))
        }
    }

    // MARK: Lists

    @Test(arguments: [
        ("", ["alpha", "beta", "delta", "gamma"]), ("environment=sandbox", ["beta"]), ("status=pending", ["gamma"]),
        ("status=disabled", ["delta"]), ("status=active", ["alpha", "beta"]), ("q=alp", ["alpha"]), ("q=nightly", ["delta"]),
        ("environment=live&status=active", ["alpha"]),
    ])
    func listFiltersByEnvironmentStatusAndSearch(query: String, names: [String]) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            try await api.createKey(["name": "alpha"])
            try await api.createKey(["name": "beta", "environment": "sandbox"])
            try await api.createKey(["name": "gamma", "activate": false])
            let delta = try await api.createKey(["name": "delta", "description": "Nightly export"])
            try await api.post("/api/v1/keys/\(delta.id)/disable")

            let response = try await api.get("/api/v1/keys?\(query)")

            #expect(response.status == .ok)
            let data = try #require(try response.json["data"]?.array)
            #expect(data.compactMap { $0["name"]?.string }.sorted() == names)
            #expect(try response.json["next_cursor"] == .null)
        }
    }

    @Test func listPagesThroughFiveKeysTwoAtATimeNewestFirstWithoutRepeats() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            for name in ["k1", "k2", "k3", "k4", "k5"] {
                try await api.createKey(["name": name])
                app.clock.advance(by: 1)
            }

            var pages: [[String]] = []
            var cursor: String?
            repeat {
                let response = try await api.get("/api/v1/keys?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                try #require(response.status == .ok, "\(response.text)")
                let body = try response.json
                pages.append(try #require(body["data"]?.array).compactMap { $0["name"]?.string })
                cursor = body["next_cursor"]?.string
                #expect(body["next_cursor"] != nil, "next_cursor is always present")
            } while cursor != nil && pages.count < 5

            #expect(pages == [["k5", "k4"], ["k3", "k2"], ["k1"]])
        }
    }

    @Test(arguments: ["limit=0", "limit=101", "limit=ten", "cursor=not-a-cursor"])
    func listWithALimitOutsideOneToHundredOrAForeignCursorIsRefused(query: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            try await api.createKey(["name": "CI"])

            let response = try await api.get("/api/v1/keys?\(query)")

            let fields = try expectProblem(response, .unprocessableContent, "VALIDATION")
            #expect(Set(fields.keys) == [String(query.prefix { $0 != "=" })])
        }
    }

    @Test func usageListsThirtyDaysAndCountsOnlySuccessfulVerifications() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "CI", "scopes": ["orders:read"]])
            let token = try #require(created.token)
            #expect(try await api.verify(token: token)["code"] == .string("VALID"))
            #expect(try await api.verify(token: token, scope: "orders:read")["code"] == .string("VALID"))
            #expect(try await api.verify(token: token, scope: "orders:write")["code"] == .string("INSUFFICIENT_SCOPE"))

            let response = try await api.get("/api/v1/keys/\(created.id)/usage")

            #expect(response.status == .ok)
            let days = try #require(try response.json["data"]?.array)
            #expect(days.count == 30)
            #expect(days.first == json(#"{"day": "2026-12-17", "count": 0}"#))
            #expect(days.last == json(#"{"day": "2027-01-15", "count": 2}"#))
            #expect(days.dropLast().allSatisfy { $0["count"] == .integer(0) })
        }
    }

    @Test func auditListsKeyEventsNewestFirstAndPagesWithACursor() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let created = try await api.createKey(["name": "CI"])
            try await api.post("/api/v1/keys/\(created.id)/disable")
            try await api.post("/api/v1/keys/\(created.id)/enable")

            let first = try await api.get("/api/v1/audit?limit=2")
            let cursor = try #require(try first.json["next_cursor"]?.string)
            let second = try await api.get("/api/v1/audit?limit=2&cursor=\(cursor)")

            #expect(first.status == .ok && second.status == .ok)
            let entries = try #require(try first.json["data"]?.array) + (try #require(try second.json["data"]?.array))
            #expect(
                entries.compactMap { $0["action"]?.string } == ["key.enabled", "key.disabled", "key.activated", "key.created"])
            #expect(entries.allSatisfy { $0["subject"] == .string(created.id) })
            let ids = entries.compactMap { $0["id"]?.int }
            #expect(ids.count == 4 && ids == ids.sorted(by: >) && Set(ids).count == 4)
            var rest = try second.json
            var seen = Set(ids)
            while let next = rest["next_cursor"]?.string {
                rest = try await api.get("/api/v1/audit?limit=2&cursor=\(next)").json
                for id in rest["data"]?.array?.compactMap({ $0["id"]?.int }) ?? [] { #expect(seen.insert(id).inserted) }
            }
            #expect(rest["next_cursor"] == .null)
        }
    }

    // MARK: Callers

    @Test func adminKeyWithKeysReadCanListButNotCreate() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let session = APIClient(session: browser)
            let existing = try await session.createKey(["name": "existing"])
            let reader = try await session.createAdminKey(["name": "reader", "permissions": ["keys:read"]])
            let asReader = APIClient(token: reader.token, client: browser.client)

            let listed = try await asReader.get("/api/v1/keys")
            let before = try await AccountState.of(app)
            let created = try await asReader.post("/api/v1/keys", ["name": "child"])

            #expect(listed.status == .ok)
            #expect(try listed.json["data"]?.array?.compactMap { $0["id"]?.string } == [existing.id])
            try expectProblem(created, .forbidden, "FORBIDDEN")
            #expect(try await AccountState.of(app) == before)
        }
    }

    /// DESIGN §8: an admin key creates or edits only admin keys within its own grant, itself included (the
    /// security review's finding 14.4: a restricted credential must not shed its restrictions).
    @Test func anAdminKeyCannotGrantOrKeepMoreThanItHolds() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let session = APIClient(session: browser)
            let project = try await defaultProject(app).id.value
            let limited = try await session.createAdminKey([
                "name": "limited", "permissions": ["keys:read", "keys:write"], "projects": [project], "ttl": "1h",
            ])
            let asLimited = APIClient(token: limited.token, client: browser.client)

            let child = try await asLimited.post(
                "/api/v1/admin-keys", ["name": "child", "permissions": ["keys:read"], "projects": [project], "ttl": 600])
            let before = try await session.get("/api/v1/admin-keys").text
            let refusals: [(TestResponse, String)] = [
                (
                    try await asLimited.post(
                        "/api/v1/admin-keys", ["name": "wider", "permissions": ["audit:read"], "projects": [project], "ttl": 600]),
                    "permissions"
                ),
                (
                    try await asLimited.post(
                        "/api/v1/admin-keys", ["name": "everywhere", "permissions": ["keys:read"], "ttl": 600]), "projects"
                ),
                (
                    try await asLimited.post(
                        "/api/v1/admin-keys", ["name": "forever", "permissions": ["keys:read"], "projects": [project]]),
                    "expiresAt"
                ),
                (try await asLimited.patch("/api/v1/admin-keys/\(limited.id)", ["expiresAt": NSNull()]), "expiresAt"),
                (try await asLimited.patch("/api/v1/admin-keys/\(limited.id)", ["projects": NSNull()]), "projects"),
                (
                    try await asLimited.patch(
                        "/api/v1/admin-keys/\(limited.id)", ["permissions": ["keys:read", "keys:write", "members:read"]]),
                    "permissions"
                ),
            ]

            #expect(child.status == .created)
            for (response, field) in refusals {
                let fields = try expectProblem(response, .forbidden, "FORBIDDEN")
                #expect(fields.keys.contains(field), "\(response.text)")
            }
            #expect(try await session.get("/api/v1/admin-keys").text == before)
        }
    }

    /// DESIGN §11: a project key's `*` means every scope of its project's API, never management.
    @Test(arguments: [["*"], ["keys:read", "keys:write"]])
    func aProjectKeyIsNeverAcceptedForManagementWhateverItsScopes(scopes: [String]) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let key = try await APIClient(session: browser).createKey(["name": "client", "scopes": scopes])
            let asKey = APIClient(token: try #require(key.token), client: browser.client)
            let before = try await AccountState.of(app)

            for response in [
                try await asKey.get("/api/v1/keys"), try await asKey.post("/api/v1/keys", ["name": "child"]),
                try await asKey.post("/api/v1/keys/\(key.id)/rotate", ["grace": "7d"]), try await asKey.get("/api/v1/projects"),
            ] {
                try expectProblem(response, .unauthorized, "INVALID_API_KEY")
            }
            #expect(try await AccountState.of(app) == before)
        }
    }

    enum Caller: String, CaseIterable, Sendable {
        case key, session
    }

    /// Every route that names a key, with a body where it takes one.
    static let keyRoutes: [APIRoute] = [
        APIRoute(.get, "/api/v1/keys/{id}"), APIRoute(.patch, "/api/v1/keys/{id}", #"{"name": "mine now"}"#),
        APIRoute(.delete, "/api/v1/keys/{id}"), APIRoute(.post, "/api/v1/keys/{id}/activate"),
        APIRoute(.post, "/api/v1/keys/{id}/rotate", #"{"grace": "0s"}"#), APIRoute(.post, "/api/v1/keys/{id}/disable"),
        APIRoute(.post, "/api/v1/keys/{id}/enable"), APIRoute(.get, "/api/v1/keys/{id}/usage"),
    ]

    @Test(arguments: Caller.allCases)
    func callerNeverSeesOrTouchesAnotherAccountsKeys(caller: Caller) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let annsKey = try await APIClient(session: browser).createKey(["name": "ann's"])
            let annsPending = try await APIClient(session: browser).createKey(["name": "ann's pending", "activate": false])
            var bob = Browser(browser.client)
            try await bob.signUp(email: "bob@example.com")
            let bobsKey = try await APIClient(session: bob).createKey(["name": "bob's"])
            let bobsAdmin = try await APIClient(session: bob).createAdminKey([
                "name": "bob's admin", "permissions": ["keys:read", "keys:write"],
            ])
            let asBob = caller == .key ? APIClient(token: bobsAdmin.token, client: browser.client) : APIClient(session: bob)
            let before = try await AccountState.of(app)
            let unknown = try await asBob.get("/api/v1/keys/ks_live_AAAAAAAAAAAAAAAA")

            for route in Self.keyRoutes {
                for id in [annsKey.id, annsPending.id] {
                    let response = try await route.send(as: asBob, id: id)

                    try expectProblem(response, .notFound, "NOT_FOUND")
                    #expect(response.text == unknown.text, "\(route.testDescription)")
                }
            }
            let listed = try await asBob.get("/api/v1/keys")
            #expect(try listed.json["data"]?.array?.compactMap { $0["id"]?.string } == [bobsKey.id])
            #expect(try await AccountState.of(app) == before)
        }
    }

    @Test(arguments: [
        APIRoute(.post, "/api/v1/keys", #"{"name": "sneaky"}"#), APIRoute(.patch, "/api/v1/keys/{id}", #"{"name": "renamed"}"#),
        APIRoute(.delete, "/api/v1/keys/{id}"), APIRoute(.post, "/api/v1/keys/{id}/disable"),
        APIRoute(.post, "/api/v1/keys/{id}/rotate"),
    ])
    func sessionCallWithoutTheCSRFHeaderIsRefusedAndChangesNothing(route: APIRoute) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await APIClient(session: browser).createKey(["name": "CI"])
            let before = try await AccountState.of(app)
            var wrongToken = APIClient(session: browser, csrf: false)
            wrongToken.headers[APIClient.csrfHeader] = String(repeating: "A", count: 43)

            let missing = try await route.send(as: APIClient(session: browser, csrf: false), id: created.id)
            let wrong = try await route.send(as: wrongToken, id: created.id)

            try expectProblem(missing, .forbidden, "FORBIDDEN")
            try expectProblem(wrong, .forbidden, "FORBIDDEN")
            #expect(try await AccountState.of(app) == before)
            #expect(try await APIClient(session: browser).verify(token: try #require(created.token))["code"] == .string("VALID"))
        }
    }

    @Test func sessionReadsNeedNoCSRFHeader() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            try await APIClient(session: browser).createKey(["name": "CI"])

            let response = try await APIClient(session: browser, csrf: false).get("/api/v1/keys")

            #expect(response.status == .ok)
            #expect(try response.json["data"]?.array?.count == 1)
        }
    }

    @Test(arguments: [
        APIRoute(.get, "/api/v1/keys"), APIRoute(.get, "/api/v1/keys/{id}"), APIRoute(.get, "/api/v1/keys/{id}/usage"),
        APIRoute(.get, "/api/v1/audit"), APIRoute(.post, "/api/v1/keys", #"{"name": "anonymous"}"#),
        APIRoute(.patch, "/api/v1/keys/{id}", #"{"name": "renamed"}"#), APIRoute(.delete, "/api/v1/keys/{id}"),
        APIRoute(.post, "/api/v1/keys/{id}/disable"),
    ])
    func callWithoutCredentialsIsRefusedWith401(route: APIRoute) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await APIClient(session: browser).createKey(["name": "CI"])
            let before = try await AccountState.of(app)

            let response = try await route.send(as: APIClient(client: browser.client), id: created.id)

            try expectProblem(response, .unauthorized, "UNAUTHORIZED")
            #expect(try await AccountState.of(app) == before)
        }
    }
}
