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
        let app = try TestApp()
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
