import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeysmithCore
import KeysmithServer
import KeysmithStore
import NIOCore
import Testing

@Suite struct SecurityTests {
    // MARK: CSRF

    enum BadToken: String, CaseIterable, Sendable {
        case missing, wrong
    }

    static let unsafeRoutes = [
        "/signup", "/login", "/logout", "/account/password", "/workspaces", "/account/sessions/revoke", "/account/delete",
    ]

    /// The form each route would act on if the token were right.
    static func form(for path: String) -> [String: String] {
        switch path {
        case "/signup": ["email": "bob@example.com", "password": "another good password"]
        case "/login": ["email": "ann@example.com", "password": "correct horse battery"]
        case "/account/password": ["current_password": "correct horse battery", "new_password": "tangerine submarine orbit"]
        case "/workspaces": ["name": "Acme team"]
        case "/account/delete": ["password": "correct horse battery"]
        default: [:]
        }
    }

    @Test(arguments: unsafeRoutes, BadToken.allCases)
    func unsafeRequestWithoutTheRightCSRFTokenIsRefusedAndChangesNothing(path: String, token: BadToken) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            var other = Browser(browser.client)
            #expect(try await other.logIn().status == .seeOther)
            var visitor = Browser(browser.client)
            try await visitor.get(path == "/signup" ? "/signup" : "/login")
            let before = try await snapshot(app)
            var form = Self.form(for: path)
            if token == .wrong { form["csrf_token"] = String(repeating: "A", count: 43) }

            let response =
                path.hasPrefix("/account") || path == "/logout"
                ? try await browser.postRaw(path, form) : try await visitor.postRaw(path, form)

            #expect(response.status == .forbidden)
            #expect(response.text.contains("Request refused"))
            #expect(try await snapshot(app) == before)
            #expect(visitor.cookies["keysmith_session"] == nil)
            #expect(try await browser.get("/account").status == .ok)
            #expect(try await other.get("/account").status == .ok)
        }
    }

    @Test func visitorsFirstPostIsRefusedBecauseNoTokenWasEverIssued() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            var stranger = Browser(browser.client)

            let response = try await stranger.postRaw(
                "/login", ["email": "ann@example.com", "password": "correct horse battery", "csrf_token": ""])

            #expect(response.status == .forbidden)
            #expect(stranger.cookies["keysmith_session"] == nil)
        }
    }

    @Test func csrfTokenInTheHeaderIsAccepted() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let token = try #require(browser.csrfToken)

            let response = try await browser.postRaw(
                try await settingsPath(app), ["name": "Default", "key_prefix": "acme"],
                headers: [HTTPField.Name("X-CSRF-Token")!: token])

            #expect(response.status == .seeOther)
            #expect(try await defaultProject(app).keyPrefix == "acme")
        }
    }

    @Test func anotherSessionsCSRFTokenIsRefused() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            var other = Browser(browser.client)
            try await other.signUp(email: "bob@example.com")
            let bobsToken = try #require(other.csrfToken)
            #expect(bobsToken != browser.csrfToken)

            let response = try await browser.postRaw(
                try await settingsPath(app), ["name": "Default", "key_prefix": "acme", "csrf_token": bobsToken])

            #expect(response.status == .forbidden)
            #expect(try await defaultProject(app).keyPrefix == "ks")
        }
    }

    @Test(arguments: ["https://evil.example", "http://evil.example", "http://localhost.evil.example", "http://localhost:8443"])
    func foreignOriginIsRefusedEvenWithAValidToken(origin: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.post(
                try await settingsPath(app), ["name": "Default", "key_prefix": "acme"], headers: [.origin: origin])

            #expect(response.status == .forbidden)
            #expect(try await defaultProject(app).keyPrefix == "ks")
        }
    }

    @Test(arguments: ["null", "http://localhost"])
    func nullOrSameOriginWithAValidTokenIsAccepted(origin: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.post(
                try await settingsPath(app), ["name": "Default", "key_prefix": "acme"], headers: [.origin: origin])

            #expect(response.status == .seeOther)
            #expect(try await defaultProject(app).keyPrefix == "acme")
        }
    }

    // MARK: Headers and cookies

    @Test(arguments: [("/login", HTTPResponse.Status.ok), ("/no-such-page", .notFound), ("/account", .seeOther)])
    func everyAnswerCarriesTheSecurityHeaders(path: String, status: HTTPResponse.Status) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            let response = try await browser.get(path)

            #expect(response.status == status)
            let policy = try #require(response.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'self'"))
            #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test func refusedCSRFAnswerCarriesTheSecurityHeaders() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.postRaw(try await settingsPath(app), ["name": "Default", "key_prefix": "acme"])

            #expect(response.status == .forbidden)
            #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test(arguments: [false, true])
    func cookiesAreHttpOnlyLaxSiteWideAndSecureOnlyWhenConfigured(secure: Bool) async throws {
        let app = try await TestApp { $0.secureCookies = secure }
        try await app.run { browser in
            let form = try await browser.get("/signup")
            let signup = try await browser.post(
                "/signup", ["email": "ann@example.com", "password": "correct horse battery"])

            let cookies = form.headers[values: .setCookie] + signup.headers[values: .setCookie]
            let names = Set(cookies.map { attributes(of: $0)[0] })
            #expect(names.contains { $0.hasPrefix("keysmith_session=") })
            #expect(names.contains { $0.hasPrefix("keysmith_csrf=") })
            for cookie in cookies {
                let attributes = Set(attributes(of: cookie).dropFirst().map { $0.lowercased() })
                #expect(attributes.contains("httponly"), "\(cookie)")
                #expect(attributes.contains("samesite=lax"), "\(cookie)")
                #expect(attributes.contains("path=/"), "\(cookie)")
                #expect(attributes.contains("secure") == secure, "\(cookie)")
            }
        }
    }

    @Test func sessionIdsAreStoredOnlyAsHashes() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let cookie = try #require(browser.cookies["keysmith_session"])

            let sessions = try await app.database.sessions(
                accountId: try #require(try await storedAccount(app).id), policy: app.configuration.sessionPolicy,
                now: app.clock.now)

            #expect(try await browser.get("/account").status == .ok)
            #expect(sessions.count == 1)
            #expect(!sessions.contains { $0.id == cookie || $0.id.contains(cookie) })
            #expect(try await app.database.signedInSession(id: cookie) == nil)
        }
    }

    // MARK: Escaping

    @Test func loginFormShowsTypedEmailEscaped() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.get("/login")

            let response = try await browser.post(
                "/login", ["email": #""><script>alert(1)</script>"#, "password": "whatever it is"])

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("&lt;script&gt;"))
            #expect(response.text.contains(#"value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;""#))
            #expect(!response.text.contains("<script>alert(1)</script>"))
        }
    }

    @Test func keyPrefixFormShowsTypedValueEscaped() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.post(
                try await settingsPath(app), ["name": "Default", "key_prefix": #""><script>alert(1)</script>"#])

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("&lt;script&gt;"))
            #expect(!response.text.contains("<script>alert(1)</script>"))
            #expect(try await defaultProject(app).keyPrefix == "ks")
        }
    }

    // MARK: Throttling

    @Test func tenFailedLoginsLockTheEmailForFifteenMinutes() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let accountId = try #require(try await storedAccount(app).id)
            var attacker = Browser(browser.client)
            try await attacker.get("/login")
            for attempt in 1...10 {
                let failed = try await attacker.post(
                    "/login", ["email": "ann@example.com", "password": "guess number \(attempt)"])
                #expect(failed.status == .unauthorized)
            }

            let locked = try await attacker.logIn()

            #expect(locked.status == .tooManyRequests)
            let retryAfter = try #require(locked.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...900).contains(retryAfter))
            #expect(locked.text.contains("Too many attempts"))
            #expect(attacker.cookies["keysmith_session"] == nil)
            #expect(
                try await app.database.sessions(accountId: accountId, policy: app.configuration.sessionPolicy, now: app.clock.now)
                    .count == 1)
            app.clock.advance(by: 15 * 60 + 1)
            let later = try await attacker.logIn()
            #expect(later.status == .seeOther)
            #expect(attacker.cookies["keysmith_session"] != nil)
        }
    }

    @Test func tenFailedSignUpsFromOneAddressLockSignUpThere() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.get("/signup")
            for attempt in 1...10 {
                let failed = try await browser.post("/signup", ["email": "user\(attempt)@example.com", "password": "short"])
                #expect(failed.status == .unprocessableContent)
            }

            let locked = try await browser.post("/signup", ["email": "carol@example.com", "password": "correct horse battery"])

            #expect(locked.status == .tooManyRequests)
            #expect(locked.headers[.retryAfter] != nil)
            #expect(locked.text.contains("Too many attempts"))
            #expect(try await app.database.account(email: EmailAddress(unchecked: "carol@example.com")) == nil)
            #expect(browser.cookies["keysmith_session"] == nil)
        }
    }

    // MARK: Limits and error pages

    @Test(arguments: ["/login", "/workspaces"])
    func requestBodyOverSixtyFourKiBIsRefusedWithTheErrorPage(path: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            if path == "/login" { try await browser.post("/logout") }
            try await browser.get("/login")
            let padding = String(repeating: "a", count: 65 * 1024)
            let token = try #require(browser.csrfToken)

            let response = try await browser.post(
                path,
                ["email": "ann@example.com", "password": "correct horse battery", "name": "Acme team", "padding": padding],
                headers: [HTTPField.Name("X-CSRF-Token")!: token])

            #expect(response.status == .contentTooLarge)
            #expect(response.text.contains("Request too large"))
            #expect(response.text.contains(#"<a class="brand" href="/">Keysmith</a>"#))
            #expect(try await defaultProject(app).keyPrefix == "ks")
        }
    }

    @Test func formTokenInAnOversizedBodyIsRefusedWithTheErrorPage() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.get("/login")

            let response = try await browser.post(
                "/login", ["email": "ann@example.com", "password": String(repeating: "a", count: 70_000)])

            #expect(response.status == .contentTooLarge)
            #expect(response.text.contains("Request too large"))
            #expect(browser.cookies["keysmith_session"] == nil)
        }
    }

    @Test func unknownPathShowsTheNotFoundPageWithTheLayoutAndAWayHome() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            let response = try await browser.get("/no/such/page")

            #expect(response.status == .notFound)
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(response.text.contains("Page not found"))
            #expect(response.text.contains(#"<header class="site-header">"#))
            #expect(response.text.contains(#"href="/""#))
        }
    }
}

/// Everything a refused request must leave alone: the accounts, their sessions, workspaces and audit logs.
private struct Snapshot: Equatable {
    var ann: AccountRecord?
    var bob: AccountRecord?
    var annSessions: [String]
    var annAuditCount: Int
    var annWorkspaces: [Membership]
    var annWorkspaceAuditCount: Int
}

private func snapshot(_ app: TestApp) async throws -> Snapshot {
    let ann = try await app.database.account(email: EmailAddress(unchecked: "ann@example.com"))
    let bob = try await app.database.account(email: EmailAddress(unchecked: "bob@example.com"))
    let annId = try #require(ann?.id)
    let sessions = try await app.database.sessions(accountId: annId, policy: app.configuration.sessionPolicy, now: app.clock.now)
    let audit = try await app.database.auditEntries(accountId: annId, limit: 1000)
    let workspaces = try await app.database.memberships(accountId: annId)
    let workspaceAudit = try await app.database.auditEntries(workspaceID: try #require(workspaces.first).workspace.id, page: 1)
    return Snapshot(
        ann: ann, bob: bob, annSessions: sessions.map(\.id).sorted(), annAuditCount: audit.count, annWorkspaces: workspaces,
        annWorkspaceAuditCount: workspaceAudit.totalCount)
}

private func storedAccount(_ app: TestApp) async throws -> AccountRecord {
    try #require(try await app.database.account(email: EmailAddress(unchecked: "ann@example.com")))
}

/// `name=value` first, then the attributes, trimmed.
private func attributes(of setCookie: String) -> [String] {
    setCookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
}
