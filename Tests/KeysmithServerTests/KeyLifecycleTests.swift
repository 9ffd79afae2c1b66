import Argon2
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeysmithCore
import KeysmithServer
import KeysmithStore
import NIOCore
import Testing

@Suite struct KeyLifecycleTests {
    // MARK: Disable, enable, activate

    @Test func disablingAndEnablingAKeyChangesItsStatusAndTheOfferedAction() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let (id, _) = try await browser.createActiveKey(named: "Toggle")

            let disabled = try await browser.submit("/keys/\(id)/disable", [])

            #expect(disabled.status == .seeOther)
            #expect(disabled.headers[.location] == "/keys/\(id)")
            #expect(try await app.database.key(id: id)?.status == .disabled)
            let detail = try await browser.get("/keys/\(id)")
            #expect(detail.text.contains("is disabled. Requests using it now fail."))
            #expect(detail.text.contains(#"<span class="badge badge-disabled">Disabled</span>"#))
            #expect(detail.text.contains(#"action="/keys/\#(id)/enable""#))
            #expect(!detail.text.contains(#"href="/keys/\#(id)/disable""#))

            let enabled = try await browser.submit("/keys/\(id)/enable", [])

            #expect(enabled.status == .seeOther)
            #expect(try await app.database.key(id: id)?.status == .active)
            let after = try await browser.get("/keys/\(id)")
            #expect(after.text.contains(#"href="/keys/\#(id)/disable""#))
            #expect(!after.text.contains(#"action="/keys/\#(id)/enable""#))
        }
    }

    @Test func activatingAnActiveKeyAgainIsAnErrorFlashAndChangesNothing() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let (id, _) = try await browser.createActiveKey(named: "Once")
            let before = try await app.database.key(id: id)
            let auditBefore = try await auditCount(app)

            let response = try await browser.submit("/keys/\(id)/activate", [])

            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/keys/\(id)")
            let detail = try await browser.get("/keys/\(id)")
            #expect(detail.text.contains(#"<div class="flash flash-error" role="alert">Only a pending key can be activated"#))
            #expect(try await app.database.key(id: id) == before)
            #expect(try await auditCount(app) == auditBefore)
        }
    }

    // MARK: Rotate

    @Test func rotationWithAnHourOfGraceRevealsANewSecretAndKeepsTheOldOneForAnHour() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let (id, oldSecret) = try await browser.createActiveKey(named: "Rotating")
            app.clock.advance(by: 120)

            let rotated = try await browser.submit("/keys/\(id)/rotate", [("grace", "1h")])

            #expect(rotated.status == .seeOther)
            let location = try #require(rotated.headers[.location])
            #expect(location.hasPrefix("/keys/\(id)/reveal/"))
            let reveal = try await browser.get(location)
            #expect(reveal.headers[.cacheControl] == "no-store")
            #expect(reveal.text.contains("New secret for “Rotating”"))
            #expect(reveal.text.contains("The old secret keeps working until"))
            let newSecret = try #require(inputValue(id: "secret-value", in: reveal.text))
            #expect(newSecret != oldSecret)
            #expect(inputValue(id: "token", in: reveal.text) == "\(id)_\(newSecret)")
            let key = try #require(try await app.database.key(id: id))
            #expect(Argon2id.verify(newSecret, encoded: try #require(key.secrets.current?.hash)))
            #expect(!Argon2id.verify(oldSecret, encoded: try #require(key.secrets.current?.hash)))
            let retired = try #require(key.secrets.retired.first)
            #expect(Argon2id.verify(oldSecret, encoded: retired.secret.hash))
            #expect(retired.until == app.clock.now.addingTimeInterval(3_600))
            #expect(key.hint == "\(id.prefix(12))…\(newSecret.suffix(4))")
            #expect(key.status == .active)
            #expect(try await browser.get(location).status == .gone)
        }
    }

    @Test func rotationWithoutGraceForgetsTheOldSecretAtOnce() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let (id, oldSecret) = try await browser.createActiveKey(named: "Rotating")

            let rotated = try await browser.submit("/keys/\(id)/rotate", [("grace", "0s"), ("confirm", "yes")])

            let reveal = try await browser.get(try #require(rotated.headers[.location]))
            #expect(reveal.text.contains("The old secret stopped working just now."))
            let newSecret = try #require(inputValue(id: "secret-value", in: reveal.text))
            let key = try #require(try await app.database.key(id: id))
            #expect(key.secrets.retired.isEmpty)
            #expect(Argon2id.verify(newSecret, encoded: try #require(key.secrets.current?.hash)))
            #expect(!Argon2id.verify(oldSecret, encoded: try #require(key.secrets.current?.hash)))
        }
    }

    @Test func rotationWithoutAGraceChoiceIsAnErrorFlashAndChangesNothing() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let (id, _) = try await browser.createActiveKey(named: "Rotating")
            let before = try await app.database.key(id: id)

            let response = try await browser.submit("/keys/\(id)/rotate", [("grace", "2h")])

            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/keys/\(id)")
            #expect(try await browser.get("/keys/\(id)").text.contains("Choose how long the old secret keeps working."))
            #expect(try await app.database.key(id: id) == before)
        }
    }

    // MARK: Delete

    @Test func deleteAsksForConfirmationThenRemovesTheKeyButKeepsItsAuditEntries() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let (id, _) = try await browser.createActiveKey(named: "Doomed")

            let confirmation = try await browser.get("/keys/\(id)/delete")

            #expect(confirmation.status == .ok)
            #expect(confirmation.text.contains("Delete “Doomed”?"))
            #expect(confirmation.text.contains(#"<form method="post" action="/keys/\#(id)/delete""#))
            #expect(try await app.database.key(id: id) != nil)

            let deleted = try await browser.submit("/keys/\(id)/delete", [])

            #expect(deleted.status == .seeOther)
            #expect(deleted.headers[.location] == "/keys")
            #expect(try await app.database.key(id: id) == nil)
            #expect(try await browser.get("/keys/\(id)").status == .notFound)
            let audit = try await browser.get("/audit")
            #expect(audit.text.contains("API key deleted"))
            #expect(audit.text.contains("API key created"))
            #expect(audit.text.contains(id))
            let workspace = try await defaultProject(app).workspaceId
            let entries = try await app.database.auditEntries(workspaceID: workspace, subject: id).map(\.auditAction)
            #expect(entries == [.keyDeleted, .keyActivated, .keyCreated])
        }
    }

    // MARK: Another account

    enum Intrusion: String, CaseIterable, Sendable {
        case show, edit, confirmDelete, confirmDisable, confirmRotateNow, reveal, activate, rotate, disable, enable,
            endGrace, delete, update

        var method: HTTPRequest.Method {
            switch self {
            case .show, .edit, .confirmDelete, .confirmDisable, .confirmRotateNow, .reveal: .get
            default: .post
            }
        }

        func path(_ id: String) -> String {
            switch self {
            case .show: "/keys/\(id)"
            case .edit, .update: "/keys/\(id)/edit"
            case .confirmDelete, .delete: "/keys/\(id)/delete"
            case .reveal: "/keys/\(id)/reveal/x"
            case .confirmDisable, .disable: "/keys/\(id)/disable"
            case .confirmRotateNow: "/keys/\(id)/rotate-now"
            case .endGrace: "/keys/\(id)/end-grace"
            case .activate, .rotate, .enable: "/keys/\(id)/\(rawValue)"
            }
        }

        /// The key's state in which its owner could do this, so a missing ownership check would show.
        var needsPendingKey: Bool { self == .activate }
        var needsDisabledKey: Bool { self == .enable }
    }

    @Test(arguments: Intrusion.allCases)
    func anotherAccountGetsNotFoundForEveryKeyPageAndActionAndChangesNothing(_ intrusion: Intrusion) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await browser.submit(
                "/keys", keyForm(name: "Ann's private key", activate: !intrusion.needsPendingKey))
            let id = try #require(try await keyIDs(app).first)
            if intrusion.needsDisabledKey { try await browser.submit("/keys/\(id)/disable", []) }
            if let reveal = created.headers[.location], reveal.contains("/reveal/") { try await browser.get(reveal) }
            let before = try #require(try await app.database.key(id: id))
            let auditBefore = try await auditCount(app)
            var bob = Browser(browser.client)
            try await bob.signUp(email: "bob@example.com")

            let response =
                intrusion.method == .get
                ? try await bob.get(intrusion.path(id))
                : try await bob.submit(intrusion.path(id), keyForm(name: "Bob was here", [("grace", "0s")]))

            #expect(response.status == .notFound)
            #expect(!response.text.contains("Ann&#39;s private key"))
            #expect(response.headers[.location] == nil)
            #expect(try await app.database.key(id: id) == before)
            #expect(try await auditCount(app) == auditBefore)
        }
    }

    @Test func revealPageOfAnotherSessionOfTheSameAccountIsGone() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await browser.submit("/keys", keyForm(name: "Session bound"))
            let location = try #require(created.headers[.location])
            var laptop = Browser(browser.client)
            #expect(try await laptop.logIn().status == .seeOther)

            let stolen = try await laptop.get(location)

            #expect(stolen.status == .gone)
            #expect(stolen.text.contains("This secret was already shown"))
            #expect(inputValue(id: "token", in: stolen.text) == nil)
            #expect(!stolen.text.contains(#"id="secret-value""#))
        }
    }

    // MARK: CSRF

    enum BadToken: String, CaseIterable, Sendable {
        case missing, wrong
    }

    @Test(arguments: BadToken.allCases)
    func creatingAKeyWithoutTheRightCSRFTokenIsRefusedAndCreatesNothing(_ token: BadToken) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let fields = keyForm(name: "Forged") + (token == .wrong ? [("csrf_token", String(repeating: "A", count: 43))] : [])

            let response = try await browser.submit("/keys", fields, csrf: false)

            #expect(response.status == .forbidden)
            #expect(try await keyIDs(app).isEmpty)
        }
    }

    @Test(arguments: BadToken.allCases)
    func disablingAKeyWithoutTheRightCSRFTokenIsRefusedAndChangesNothing(_ token: BadToken) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let (id, _) = try await browser.createActiveKey(named: "Guarded")
            let before = try await app.database.key(id: id)
            let fields = token == .wrong ? [("csrf_token", String(repeating: "A", count: 43))] : []

            let response = try await browser.submit("/keys/\(id)/disable", fields, csrf: false)

            #expect(response.status == .forbidden)
            #expect(try await app.database.key(id: id) == before)
            #expect(before?.status == .active)
        }
    }
}

// MARK: - Helpers

extension Browser {
    /// Creates an activated key through the console and reads its secret off the reveal page.
    fileprivate mutating func createActiveKey(named name: String) async throws -> (id: String, secret: String) {
        let created = try await submit("/keys", keyForm(name: name))
        let location = try #require(created.headers[.location])
        let reveal = try await get(location)
        let token = try #require(inputValue(id: "token", in: reveal.text))
        let secret = try #require(inputValue(id: "secret-value", in: reveal.text))
        return (String(token.dropLast(secret.count + 1)), secret)
    }
}

/// A valid create form with an optional extra field list appended.
private func keyForm(name: String, _ extra: [(String, String)] = [], activate: Bool = true) -> [(String, String)] {
    [
        ("name", name), ("description", ""), ("environment", "live"), ("owner_type", "personal"),
        ("token_type", "generated"), ("expiry", "never"), ("rate_limit_window", "minute"),
    ] + extra + (activate ? [("activate", "on")] : [])
}

/// The value of the input, or the text of the text area (the reveal page's token), with this id.
private func inputValue(id: String, in html: String) -> String? {
    guard let marker = html.range(of: #"id="\#(id)""#) else { return nil }
    let tag = html[marker.upperBound...].prefix { $0 != ">" }
    if html[..<marker.lowerBound].hasSuffix("<textarea ") {
        let text = html[tag.endIndex...].dropFirst()
        return text.range(of: "</textarea>").map { String(text[..<$0.lowerBound]) }
    }
    guard let start = tag.range(of: #" value=""#) else { return nil }
    return String(tag[start.upperBound...].prefix { $0 != "\"" })
}

private func accountID(_ app: TestApp, email: String = "ann@example.com") async throws -> Int64 {
    try #require(try await app.database.account(email: EmailAddress(unchecked: email))?.id)
}

private func keyIDs(_ app: TestApp) async throws -> [String] {
    try await app.database.keys(projectID: try await defaultProject(app).id, matching: KeyListQuery(), now: app.clock.now).items
        .map(\.id.value)
}

private func auditCount(_ app: TestApp) async throws -> Int {
    try await app.database.auditEntries(workspaceID: try await defaultProject(app).workspaceId, page: 1).totalCount
}
