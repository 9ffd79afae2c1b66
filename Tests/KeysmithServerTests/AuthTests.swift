import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeysmithCore
import KeysmithServer
import KeysmithStore
import Testing

@Suite struct AuthTests {
    @Test func signUpCreatesAccountSignsInAndGreets() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.get("/signup")

            let response = try await browser.post("/signup", ["email": " Ann@Example.COM ", "password": "correct horse battery"])

            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/keys")
            let account = try await browser.get("/account")
            #expect(account.status == .ok)
            #expect(account.text.contains("ann@example.com"))
            #expect(account.text.contains("Welcome to Keysmith!"))
        }
        let stored = try #require(try await app.database.account(email: EmailAddress(unchecked: "ann@example.com")))
        #expect(stored.passwordHash.hasPrefix("$argon2id$"))
        #expect(!stored.passwordHash.contains("correct horse battery"))
    }

    @Test func signUpWithBadInputShowsFieldMessagesKeepsEmailAndCreatesNothing() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.get("/signup")

            let response = try await browser.post("/signup", ["email": "not-an-email", "password": "password1234"])

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("Enter an email address like name@example.com."))
            #expect(response.text.contains("This password is too common."))
            #expect(response.text.contains(#"value="not-an-email""#))
            #expect(!response.text.contains("password1234"))
        }
        #expect(try await app.database.account(email: EmailAddress(unchecked: "not-an-email")) == nil)
    }

    @Test func signUpWithShortPasswordSaysHowLong() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.get("/signup")

            let response = try await browser.post("/signup", ["email": "ann@example.com", "password": "short"])

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("Use at least 12 characters."))
        }
    }

    @Test func signUpWithTakenEmailIsAFieldErrorNotA500() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp(email: "ann@example.com")
            var other = Browser(browser.client)
            try await other.get("/signup")

            let response = try await other.post("/signup", ["email": "ANN@example.com", "password": "another good password"])

            #expect(response.status == .conflict)
            #expect(response.text.contains("An account with this email already exists."))
            #expect(other.cookies["keysmith_session"] == nil)
        }
    }

    @Test func loginWithWrongPasswordAndUnknownEmailShowTheSameGenericError() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            var visitor = Browser(browser.client)

            try await visitor.get("/login")
            let wrongPassword = try await visitor.post("/login", ["email": "ann@example.com", "password": "not the password"])
            let unknownEmail = try await visitor.post("/login", ["email": "bob@example.com", "password": "not the password"])

            #expect(wrongPassword.status == .unauthorized)
            #expect(unknownEmail.status == .unauthorized)
            #expect(wrongPassword.text.contains("Email or password is incorrect."))
            #expect(unknownEmail.text.contains("Email or password is incorrect."))
            #expect(wrongPassword.text.contains(#"value="ann@example.com""#))
            #expect(!wrongPassword.text.contains("not the password"))
            #expect(visitor.cookies["keysmith_session"] == nil)
        }
    }

    @Test func loginStartsAFreshSessionEvenWhenABrowserBroughtOne() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let firstSession = try #require(browser.cookies["keysmith_session"])

            let response = try await browser.logIn()

            #expect(response.status == .seeOther)
            let secondSession = try #require(browser.cookies["keysmith_session"])
            #expect(secondSession != firstSession)
            var replay = Browser(browser.client)
            replay.cookies["keysmith_session"] = firstSession
            #expect(try await replay.get("/account").status == .seeOther)
        }
    }

    @Test func loggingOutEndsTheSessionOnTheServer() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let session = try #require(browser.cookies["keysmith_session"])

            let response = try await browser.post("/logout")

            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/login")
            #expect(browser.cookies["keysmith_session"] == nil)
            #expect(try await browser.get("/login").text.contains("You have been logged out."))
            var replay = Browser(browser.client)
            replay.cookies["keysmith_session"] = session
            #expect(try await replay.get("/account").status == .seeOther)
        }
    }

    @Test(arguments: ["/keys", "/account", "/audit"])
    func consolePagesSendVisitorsToLoginAndBackAfterwards(path: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            try await browser.post("/logout")

            let response = try await browser.get(path)

            let location = try #require(response.headers[.location])
            #expect(response.status == .seeOther)
            #expect(location.hasPrefix("/login"))
            let login = try await browser.get(location)
            #expect(login.text.contains(#"name="next""#) == (path != "/keys"))
            let signedIn = try await browser.post(
                "/login", ["email": "ann@example.com", "password": "correct horse battery", "next": path]
            )
            #expect(signedIn.headers[.location] == path)
        }
    }

    @Test(arguments: [
        "//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/\t/evil.example",
        "/\n/evil.example",
    ])
    func loginNeverRedirectsOffSite(next: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            try await browser.post("/logout")
            try await browser.get("/login")

            let response = try await browser.post(
                "/login", ["email": "ann@example.com", "password": "correct horse battery", "next": next])

            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/keys")
        }
    }

    @Test func sessionEndsAfterTwelveIdleHours() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            app.clock.advance(by: 11 * 3600)
            #expect(try await browser.get("/account").status == .ok)
            app.clock.advance(by: 11 * 3600)
            #expect(try await browser.get("/account").status == .ok)
            app.clock.advance(by: 12 * 3600 + 1)

            #expect(try await browser.get("/account").status == .seeOther)
        }
    }

    @Test func sessionEndsThirtyDaysAfterSignInEvenWhenUsedDaily() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            // 65 × 11 h = 715 h: never idle for 12 h, still inside the 720 h (30 d) lifetime.
            for _ in 0..<65 {
                app.clock.advance(by: 11 * 3600)
                #expect(try await browser.get("/account").status == .ok)
            }
            app.clock.advance(by: 11 * 3600)

            #expect(try await browser.get("/account").status == .seeOther)
        }
    }
}
