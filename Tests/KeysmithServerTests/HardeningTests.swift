import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import NIOCore
import Testing

/// The findings of issue 14's security review, each with the request that used to get through.
@Suite struct HardeningTests {
    // MARK: Sign-in throttle (14.1)

    @Test(arguments: ["\n", "\r\n", "\u{2028}", "\t", " ", "\u{85}"])
    func everySpellingOfAnEmailSharesOneBudget(suffix: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            var attacker = Browser(browser.client)
            try await attacker.get("/login")
            for attempt in 1...10 {
                let spelling = attempt.isMultiple(of: 2) ? "ANN@example.com" + suffix : "ann@example.com" + suffix
                let failed = try await attacker.post("/login", ["email": spelling, "password": "guess \(attempt)"])
                #expect(failed.status == .unauthorized, "attempt \(attempt)")
            }

            let throttled = try await attacker.post("/login", ["email": "ann@example.com", "password": "guess 11"])

            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.headers[.retryAfter] != nil)
        }
    }

    @Test func fortyParallelGuessesGetTenPasswordChecks() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            var attacker = Browser(browser.client)
            try await attacker.get("/login")
            let guesser = attacker

            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for attempt in 0..<40 {
                    group.addTask {
                        var browser = guesser
                        return try await browser.post("/login", ["email": "ann@example.com", "password": "guess \(attempt)"])
                            .status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }

            #expect(statuses.filter { $0 == .unauthorized }.count == 10)
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 30)
            let failures = try await app.database.auditEntries(
                accountId: try await AccountState.accountId(app), limit: 100
            ).filter { $0.action == AuditAction.loginFailed.rawValue }
            #expect(failures.count == 10)
        }
    }

    @Test func aRightPasswordGivesTheAttemptBackAndStartsThePairAfresh() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            var owner = Browser(browser.client)
            try await owner.get("/login")
            for attempt in 1...9 {
                _ = try await owner.post("/login", ["email": "ann@example.com", "password": "typo \(attempt)"])
            }
            #expect(try await owner.logIn().status == .seeOther)
            try await owner.post("/logout")

            for attempt in 1...9 {
                let typo = try await owner.logIn(password: "typo again \(attempt)")
                #expect(typo.status == .unauthorized)
            }
            #expect(try await owner.logIn().status == .seeOther)
        }
    }

    // MARK: Two credentials (14.9)

    @Test func twoDifferentKeysInOneRequestAreRefused() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let first = try #require(try await api.createKey(["name": "first"]).token)
            let second = try #require(try await api.createKey(["name": "second"]).token)
            let project = try await defaultProject(app).id.value
            let gates = ["/api/v1/whoami", "/api/v1/auth?project=\(project)"]

            for gate in gates {
                let both = try await browser.client.execute(
                    uri: gate, method: .get, headers: [.authorization: "Bearer \(first)", APIClient.apiKeyHeader: second])
                try expectProblem(both, .unauthorized, "AMBIGUOUS_CREDENTIALS")

                let same = try await browser.client.execute(
                    uri: gate, method: .get, headers: [.authorization: "Bearer \(first)", APIClient.apiKeyHeader: first])
                #expect(same.status == .ok, "\(gate)")
            }
            let admin = try await api.createAdminKey(["name": "ci", "permissions": ["keys:read"]])
            let mixed = try await browser.client.execute(
                uri: "/api/v1/keys", method: .get,
                headers: [.authorization: "Bearer \(admin.token)", APIClient.apiKeyHeader: first])
            try expectProblem(mixed, .unauthorized, "AMBIGUOUS_CREDENTIALS")
        }
    }

    // MARK: Fields fixed at creation (14.9)

    @Test(arguments: [
        ("environment", "sandbox" as any Sendable), ("tokenType", "custom" as any Sendable),
        ("secret", "my-own-secret-value-123!" as any Sendable),
    ])
    func patchingWhatIsFixedAtCreationIs422AndChangesNothing(field: String, value: any Sendable) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let key = try await api.createKey(["name": "fixed"])
            let before = try await AccountState.of(app)

            let response = try await api.patch("/api/v1/keys/\(key.id)", [field: value, "name": "renamed"])

            let fields = try expectProblem(response, .unprocessableContent, "VALIDATION")
            #expect(fields[field] != nil)
            #expect(try await AccountState.of(app) == before)
        }
    }

    @Test func aKeySentBackAsItIsShownChangesNothing() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let key = try await api.createKey([
                "name": "round trip", "environment": "sandbox", "scopes": ["orders:read"], "ttl": "30d",
                "ipAllowlist": ["10.0.0.0/8"], "rateLimit": ["limit": 100, "window": "minute"],
            ])
            let shown = try await api.get("/api/v1/keys/\(key.id)").text
            let before = try await AccountState.of(app)

            let response = try await api.send(.patch, "/api/v1/keys/\(key.id)", raw: shown)

            #expect(response.status == .ok, "\(response.text)")
            #expect(try await AccountState.of(app) == before)
        }
    }

    @Test func anEditThatChangesNothingLeavesNoAuditEntry() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let key = try await api.createKey(["name": "steady", "description": "as it was"])
            let before = try await AccountState.of(app)

            let response = try await api.patch("/api/v1/keys/\(key.id)", ["name": "steady", "description": "as it was"])

            #expect(response.status == .ok)
            #expect(try await AccountState.of(app) == before)
        }
    }

    // MARK: Search (14.8)

    @Test(arguments: ["ab%00cd", "%00", "a%01%1Fb%7F", "%00%00%00"])
    func aControlCharacterInASearchIsJustNoMatch(query: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            try await APIClient(session: browser).createKey(["name": "abcd"])

            let console = try await browser.get("/keys?q=\(query)")
            let api = try await APIClient(session: browser).get("/api/v1/keys?q=\(query)")

            #expect(console.status == .ok)
            #expect(api.status == .ok)
        }
    }

    // MARK: Pre-login CSRF cookie (14.9)

    @Test func aPlantedPreLoginCSRFCookieIsRefused() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            try await browser.post("/logout")
            var visitor = Browser(browser.client)
            let planted = String(repeating: "A", count: 43)
            visitor.cookies["keysmith_csrf"] = planted

            let response = try await visitor.postRaw(
                "/login", ["email": "ann@example.com", "password": "correct horse battery", "csrf_token": planted])

            #expect(response.status == .forbidden)
            #expect(visitor.cookies["keysmith_session"] == nil)
        }
    }

    @Test func theSignedCookieOutlivesARestartOnTheSameDatabase() async throws {
        let app = try await TestApp()
        let visitor = try await firstVisit(app)
        try await app.run { browser in
            browser.cookies = visitor.cookies
            browser.csrfToken = visitor.csrfToken
            try await browser.signUp(email: "ann@example.com")
        }
    }

    private func firstVisit(_ app: TestApp) async throws -> Browser {
        let box = VisitorBox()
        try await app.run { browser in
            try await browser.get("/signup")
            await box.keep(browser)
        }
        return try #require(await box.browser)
    }
}

private actor VisitorBox {
    var browser: Browser?
    func keep(_ browser: Browser) { self.browser = browser }
}
