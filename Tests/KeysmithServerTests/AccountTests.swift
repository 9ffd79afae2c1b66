import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeysmithCore
import KeysmithServer
import KeysmithStore
import Testing

@Suite struct AccountTests {
    // MARK: Change password

    @Test func changingPasswordWithWrongCurrentPasswordIsRefusedAndKeepsTheHash() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let before = try await storedAccount(app)

            let response = try await browser.post(
                "/account/password", ["current_password": "guessed wrongly", "new_password": "tangerine submarine orbit"])

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("That is not your current password."))
            #expect(!response.text.contains("guessed wrongly"))
            #expect(!response.text.contains("tangerine submarine orbit"))
            let after = try await storedAccount(app)
            #expect(after.passwordHash == before.passwordHash)
            #expect(try await browser.get("/account").status == .ok)
        }
    }

    @Test(arguments: [
        ("short", "Use at least 12 characters."),
        ("password1234", "This password is too common."),
        ("ann@example.com", "Your password must not be your email address."),
        ("correct horse battery", "Choose a password different from the current one."),
    ])
    func changingPasswordToAWeakOneSaysWhyAndKeepsTheHash(newPassword: String, message: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let before = try await storedAccount(app)

            let response = try await browser.post(
                "/account/password", ["current_password": "correct horse battery", "new_password": newPassword])

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains(message))
            #expect(!response.text.contains("That is not your current password."))
            #expect(try await storedAccount(app).passwordHash == before.passwordHash)
        }
    }

    @Test func changingPasswordSignsOutOtherSessionsKeepsThisOneAndSwapsThePasswords() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            var other = Browser(browser.client)
            #expect(try await other.logIn().status == .seeOther)
            #expect(try await other.get("/account").status == .ok)
            let oldCookie = try #require(browser.cookies["keysmith_session"])

            let response = try await browser.post(
                "/account/password", ["current_password": "correct horse battery", "new_password": "tangerine submarine orbit"])

            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/account")
            let newCookie = try #require(browser.cookies["keysmith_session"])
            #expect(newCookie != oldCookie)
            let page = try await browser.get("/account")
            #expect(page.status == .ok)
            #expect(page.text.contains("Password changed. Other sessions were signed out."))
            #expect(try await other.get("/account").status == .seeOther)
            var replay = Browser(browser.client)
            replay.cookies["keysmith_session"] = oldCookie
            #expect(try await replay.get("/account").status == .seeOther)
            let account = try await storedAccount(app)
            let accountId = try #require(account.id)
            #expect(
                try await app.database.sessions(accountId: accountId, policy: app.configuration.sessionPolicy, now: app.clock.now)
                    .count == 1)
            let entries = try await app.database.auditEntries(accountId: accountId, limit: 100)
            #expect(entries.first?.auditAction == .passwordChanged)
            var fresh = Browser(browser.client)
            #expect(try await fresh.logIn(password: "correct horse battery").status == .unauthorized)
            #expect(try await fresh.logIn(password: "tangerine submarine orbit").status == .seeOther)
        }
    }

    // MARK: Key prefix (a project setting)

    @Test(arguments: ["K1", "<b>x</b>", "a", "toolongprefix"])
    func invalidKeyPrefixIsShownNextToTheFieldEscapedAndNotSaved(typed: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.post(try await settingsPath(app), ["name": "Default", "key_prefix": typed])

            #expect(response.status == .unprocessableContent)
            #expect(
                response.text.contains(
                    #"id="key_prefix-error"><span class="visually-hidden">Error: </span>Use 2 to 8 lowercase letters"#))
            #expect(response.text.contains(#"value="\#(escapedHTML(typed))""#))
            if typed.contains("<") { #expect(!response.text.contains(typed)) }
            #expect(try await defaultProject(app).keyPrefix == "ks")
        }
    }

    @Test func validKeyPrefixIsSavedShownAndAudited() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let project = try await defaultProject(app)

            let response = try await browser.post(try await settingsPath(app), ["name": "Default", "key_prefix": "acme"])

            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/projects/\(project.id)")
            let page = try await browser.get("/projects/\(project.id)")
            #expect(page.text.contains("New keys start with “acme_”."))
            #expect(page.text.contains("acme_live_…"))
            #expect(page.text.contains(#"value="acme""#))
            #expect(try await defaultProject(app).keyPrefix == "acme")
            let entries = try await app.database.auditEntries(workspaceID: project.workspaceId, page: 1).items
            let entry = try #require(entries.first { $0.auditAction == .projectUpdated })
            #expect(entry.detail == "prefix ks → acme")
            #expect(entry.actor == .user(id: try await AccountState.accountId(app), email: "ann@example.com"))
            let audit = try await browser.get("/audit")
            #expect(audit.text.contains("Project settings changed"))
            #expect(audit.text.contains("prefix ks → acme"))
        }
    }

    // MARK: Sessions

    @Test func signingOutOtherSessionsEndsThemAndKeepsThisOne() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            var phone = Browser(browser.client)
            phone.userAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1"
            var laptop = Browser(browser.client)
            #expect(try await phone.logIn().status == .seeOther)
            #expect(try await laptop.logIn().status == .seeOther)
            let before = try await browser.get("/account")
            #expect(before.text.contains("Sign out all other sessions"))

            let response = try await browser.post("/account/sessions/revoke")

            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/account")
            let page = try await browser.get("/account")
            #expect(page.status == .ok)
            #expect(page.text.contains("Signed out 2 other sessions."))
            #expect(!page.text.contains("Sign out all other sessions"))
            for var signedOut in [phone, laptop] {
                let other = try await signedOut.get("/account")
                #expect(other.status == .seeOther)
                #expect(other.headers[.location]?.hasPrefix("/login") == true)
            }
            let accountId = try #require(try await storedAccount(app).id)
            #expect(
                try await app.database.sessions(accountId: accountId, policy: app.configuration.sessionPolicy, now: app.clock.now)
                    .count == 1)
            let entry = try #require(try await app.database.auditEntries(accountId: accountId, limit: 100).first)
            #expect(entry.auditAction == .sessionsRevoked)
            #expect(entry.detail == "2 sessions")
        }
    }

    @Test func signingOutOtherSessionsWhenThereAreNoneSaysSo() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let accountId = try #require(try await storedAccount(app).id)
            let before = try await app.database.auditEntries(accountId: accountId, limit: 100).count

            let response = try await browser.post("/account/sessions/revoke")

            #expect(response.status == .seeOther)
            #expect(try await browser.get("/account").text.contains("There were no other sessions."))
            #expect(try await app.database.auditEntries(accountId: accountId, limit: 100).count == before)
        }
    }

    // MARK: Delete account

    @Test(arguments: [("", "Enter your password to confirm."), ("not the password", "That is not your password.")])
    func deletingAccountWithoutTheRightPasswordKeepsEverything(password: String, message: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.post("/account/delete", ["password": password])

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains(message))
            if !password.isEmpty { #expect(!response.text.contains(password)) }
            #expect(try await app.database.account(email: EmailAddress(unchecked: "ann@example.com")) != nil)
            #expect(browser.cookies["keysmith_session"] != nil)
            #expect(try await browser.get("/account").status == .ok)
        }
    }

    @Test func deletingAccountWithTheRightPasswordRemovesItAndSignsOut() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let accountId = try #require(try await storedAccount(app).id)
            let session = try #require(browser.cookies["keysmith_session"])

            let response = try await browser.post("/account/delete", ["password": "correct horse battery"])

            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/signup")
            #expect(
                response.headers[values: .setCookie].contains { $0.hasPrefix("keysmith_session=;") && $0.contains("Max-Age=0") })
            #expect(browser.cookies["keysmith_session"] == nil)
            #expect(try await browser.get("/signup").text.contains("Your account and all its keys have been deleted."))
            var replay = Browser(browser.client)
            replay.cookies["keysmith_session"] = session
            #expect(try await replay.get("/account").status == .seeOther)
            #expect(try await browser.logIn().status == .unauthorized)
            #expect(try await app.database.account(id: accountId) == nil)
            let kept = try await app.database.auditEntries(accountId: accountId, limit: 100).first
            #expect(kept?.auditAction == .accountDeleted)
            #expect(try await app.database.account(email: EmailAddress(unchecked: "ann@example.com")) == nil)
            #expect(
                try await app.database.sessions(accountId: accountId, policy: app.configuration.sessionPolicy, now: app.clock.now)
                    .isEmpty)
        }
    }
}

/// Ann, as the database has her now.
private func storedAccount(_ app: TestApp) async throws -> AccountRecord {
    try #require(try await app.database.account(email: EmailAddress(unchecked: "ann@example.com")))
}

/// What Mustache's `{{value}}` makes of user text.
private func escapedHTML(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        .replacingOccurrences(of: "'", with: "&#39;")
}
