import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeysmithCore
import KeysmithServer
import KeysmithStore
import Testing

@Suite struct AuditTests {
    @Test func accountEventsAreOnTheAccountPageAndWorkspaceChangesInTheAuditLogWithTheirActor() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            var attacker = Browser(browser.client)
            #expect(try await attacker.logIn(password: "not the password").status == .unauthorized)
            #expect(
                try await browser.post(try await settingsPath(app), ["name": "Default", "key_prefix": "acme"]).status == .seeOther
            )
            #expect(try await browser.post("/logout").status == .seeOther)
            #expect(try await browser.logIn().status == .seeOther)

            let account = try await browser.get("/account")
            let audit = try await browser.get("/audit")

            #expect(
                isInOrder(
                    account.text,
                    [
                        "Recent sign-in activity", "<td>Signed in</td>", "<td>Signed out</td>", "<td>Failed sign-in attempt</td>",
                        "<td>Signed in</td>", "<td>Account created</td>",
                    ]))
            #expect(!account.text.contains("not the password"))
            #expect(audit.status == .ok)
            #expect(audit.text.contains(#"<th scope="col" class="audit-source">Source</th>"#))
            #expect(audit.text.contains(#"<th scope="col" class="audit-actor">Actor</th>"#))
            #expect(
                isInOrder(
                    audit.text,
                    [
                        event("Project settings changed"), actor("ann@example.com"), "prefix ks → acme",
                        event("Project created"), event("Workspace created"),
                    ]))
            #expect(rowCount(audit.text) == 3)
            #expect(!audit.text.contains("Failed sign-in attempt"))
        }
    }

    @Test func auditLogPagesAfterFiftyEntries() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let workspace = try await defaultProject(app).workspaceId
            for number in 1...60 {
                let spec = try ProjectSpec.validate(name: String(format: "entry-%02d", number), keyPrefix: nil, description: nil)
                _ = try await app.database.createProject(
                    in: workspace, spec, origin: RequestOrigin(ip: "192.0.2.7", userAgent: "curl/8.0"), now: app.clock.now)
            }

            let first = try await browser.get("/audit")
            let second = try await browser.get("/audit?page=2")

            #expect(rowCount(first.text) == 50)
            #expect(first.text.contains("Page 1 of 2 · 62 entries"))
            #expect(first.text.contains(#"<a href="/audit?page=2" rel="next">"#))
            #expect(!first.text.contains(#"rel="prev""#))
            #expect(first.text.contains(#"<span class="disabled" aria-hidden="true">← Newer</span>"#), "prev keeps its place")
            #expect(first.text.contains(">entry-60</a>"))
            #expect(first.text.contains(">entry-11</a>"))
            #expect(!first.text.contains(">entry-10</a>"))
            #expect(first.text.contains(">192.0.2.7<"))
            #expect(second.status == .ok)
            #expect(rowCount(second.text) == 12)
            #expect(second.text.contains("Page 2 of 2 · 62 entries"))
            #expect(second.text.contains(#"<a href="/audit" rel="prev">"#))
            #expect(!second.text.contains(#"rel="next""#))
            #expect(second.text.contains(">entry-10</a>"))
            #expect(second.text.contains(">entry-01</a>"))
            #expect(!second.text.contains(">entry-11</a>"))
            #expect(isInOrder(second.text, [">entry-01</a>", event("Project created"), event("Workspace created")]))
        }
    }

    @Test func auditLogWithFewEntriesHasNoPagination() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.get("/audit")

            #expect(rowCount(response.text) == 2)
            #expect(!response.text.contains(#"class="pagination""#))
        }
    }

    @Test func auditLogNeverShowsAnotherAccountsEntries() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            #expect(
                try await browser.post(try await settingsPath(app), ["name": "Default", "key_prefix": "acme"]).status == .seeOther
            )
            var intruder = Browser(browser.client)
            #expect(try await intruder.logIn(password: "not the password").status == .unauthorized)
            var bob = Browser(browser.client)
            try await bob.signUp(email: "bob@example.com", password: "another good password")

            let response = try await bob.get("/audit")
            let later = try await bob.get("/audit?page=2")

            #expect(response.status == .ok)
            #expect(rowCount(response.text) == 2)
            #expect(isInOrder(response.text, [event("Project created"), event("Workspace created")]))
            #expect(!response.text.contains(event("Project settings changed")))
            #expect(!response.text.contains("ks → acme"))
            #expect(!response.text.contains("Failed sign-in attempt"))
            #expect(rowCount(later.text) == 0)
            let bobId = try #require(try await app.database.account(email: EmailAddress(unchecked: "bob@example.com"))?.id)
            let bobsEntries = try await app.database.auditEntries(accountId: bobId, limit: 100)
            #expect(bobsEntries.count == 2)
            #expect(bobsEntries.allSatisfy { $0.accountId == bobId })
        }
    }

    @Test func newAccountWithADeletedAccountsEmailStartsWithAnEmptyLog() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            #expect(
                try await browser.post(try await settingsPath(app), ["name": "Default", "key_prefix": "acme"]).status == .seeOther
            )
            #expect(try await browser.post("/account/delete", ["password": "correct horse battery"]).status == .seeOther)

            try await browser.signUp(password: "a different long password")
            let response = try await browser.get("/audit")

            #expect(rowCount(response.text) == 2)
            #expect(!response.text.contains(event("Project settings changed")))
            #expect(!response.text.contains("Account deleted"))
        }
    }
}

private func storedAccount(_ app: TestApp) async throws -> AccountRecord {
    try #require(try await app.database.account(email: EmailAddress(unchecked: "ann@example.com")))
}

/// True when every part occurs in `html`, each after the one before.
func isInOrder(_ html: String, _ parts: [String]) -> Bool {
    var rest = html[...]
    for part in parts {
        guard let range = rest.range(of: part) else { return false }
        rest = rest[range.upperBound...]
    }
    return true
}

func occurrences(of needle: String, in html: String) -> Int {
    html.components(separatedBy: needle).count - 1
}

/// Audit rows: each starts with its time cell.
func rowCount(_ html: String) -> Int {
    occurrences(of: #"<td class="audit-when"><time"#, in: html)
}

func event(_ summary: String) -> String { #"<td class="audit-event">\#(summary)</td>"# }

func actor(_ label: String) -> String { #"<td class="audit-actor" data-label="By">\#(label)</td>"# }
