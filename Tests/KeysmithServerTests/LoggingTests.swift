import Foundation
import HTTPTypes
import HummingbirdTesting
import InMemoryLogging
import KeysmithServer
import Logging
import Synchronization
import Testing

@Suite struct LoggingTests {
    @Test func logsNeverContainPasswordsSessionCookiesOrCSRFTokens() async throws {
        let app = try await TestApp()
        let handler = InMemoryLogHandler()
        var logger = Logger(label: "keysmith.test") { _ in handler }
        logger.logLevel = .trace
        let secrets = SecretsSeen()
        secrets.add("correct horse battery", "not the password", "tangerine submarine orbit")

        try await app.run(logger: logger) { browser in
            try await browser.signUp(password: "correct horse battery")
            secrets.add(browser.cookies["keysmith_session"], browser.cookies["keysmith_csrf"], browser.csrfToken)
            try await browser.post("/logout")
            try await browser.get("/login")
            secrets.add(browser.csrfToken)
            let wrong = try await browser.post("/login", ["email": "ann@example.com", "password": "not the password"])
            #expect(wrong.status == .unauthorized)
            let right = try await browser.logIn(password: "correct horse battery")
            #expect(right.status == .seeOther)
            try await browser.get("/account")
            secrets.add(browser.cookies["keysmith_session"], browser.csrfToken)
            let changed = try await browser.post(
                "/account/password", ["current_password": "correct horse battery", "new_password": "tangerine submarine orbit"])
            #expect(changed.status == .seeOther)
            try await browser.get("/account")
            secrets.add(browser.cookies["keysmith_session"], browser.csrfToken)
        }

        let entries = handler.entries
        #expect(entries.contains { $0.message.description == "account created" })
        #expect(entries.contains { $0.message.description == "login failed" })
        #expect(secrets.all.count >= 8)
        for entry in entries {
            let text = "\(entry.message) \(entry.metadata) \(entry.error.map { "\($0)" } ?? "")"
            for secret in secrets.all {
                #expect(!text.contains(secret), "log entry “\(entry.message)” contains a secret")
            }
        }
    }
}

@Suite struct AccessLogTests {
    @Test func everyRequestIsLoggedWithItsRouteStatusAndTimeButNeverItsQueryString() async throws {
        let app = try await TestApp()
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "keysmith.test") { _ in handler }
        let pasted = "ks_live_0123456789ABCDEF_abcdefghijklmnopqrstuvwxyz0123453QBKnQ"

        try await app.run(logger: logger) { browser in
            try await browser.signUp()
            #expect(try await browser.get("/keys?q=\(pasted)").status == .ok)
            #expect(try await browser.get("/api/v1/whoami?token=\(pasted)").status == .unauthorized)
        }

        // The log is written behind, at the latest when the application stops.
        let requests = handler.entries.filter { $0.message.description == "request" }
        let paths = requests.compactMap { $0.metadata["http.path"].map { "\($0)" } }
        #expect(paths.contains("/keys"))
        #expect(paths.contains("/api/v1/whoami"))
        #expect(requests.contains { $0.metadata["http.status"] == "401" })
        #expect(requests.allSatisfy { $0.metadata["http.duration_us"] != nil })
        for entry in handler.entries {
            #expect(!"\(entry.message) \(entry.metadata)".contains(pasted))
        }
    }

    @Test func anInvitationsTokenIsNeverLogged() async throws {
        let app = try await TestApp()
        let handler = InMemoryLogHandler()
        let logger = Logger(label: "keysmith.test") { _ in handler }
        let tokens = SecretsSeen()

        try await app.run(logger: logger) { browser in
            try await browser.signUp()
            let redirect = try await browser.post("/invites", ["email": "bob@example.com", "role": "viewer"])
            let created = try await browser.get(try #require(redirect.headers[.location]))
            let token = String(try #require(created.text.firstMatch(of: #/invites/([A-Za-z0-9_-]{43})"/#)?.1))
            tokens.add(token)
            var bob = Browser(browser.client)
            #expect(try await bob.get("/invites/\(token)").status == .ok)
            try await bob.signUp(email: "bob@example.com")
            #expect(try await bob.post("/invites/\(token)/accept").status == .seeOther)
        }

        let token = try #require(tokens.all.first)
        let paths = handler.entries.compactMap { $0.metadata["http.path"].map { "\($0)" } }
        #expect(paths.contains("/invites/{id}"))
        #expect(paths.contains("/invites/{id}/accept"))
        for entry in handler.entries {
            #expect(!"\(entry.message) \(entry.metadata)".contains(token))
        }
    }
}

/// Every secret the browser saw, collected from inside the `@Sendable` test body.
private final class SecretsSeen: Sendable {
    private let values = Mutex<Set<String>>([])

    func add(_ secrets: String?...) {
        values.withLock { values in
            for case let secret? in secrets where !secret.isEmpty { values.insert(secret) }
        }
    }

    var all: Set<String> { values.withLock { $0 } }
}
