import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeysmithCore
import KeysmithServer
import KeysmithStore
import Testing

/// `/audit`'s filters and `/audit.csv` through HTTP: what is shown, what is exported, and never another workspace's.
@Suite struct AuditFilterTests {
    /// Ann's workspace: two keys (one edited through the API by an admin key, one deleted) and Bob's own workspace with
    /// a key of his, so every test can check nothing of Bob's leaks.
    struct Fixture {
        let billing: String
        let reports: String
        let bobsKey: String
    }

    static func fixture(_ app: TestApp, _ browser: inout Browser) async throws -> Fixture {
        try await browser.signUp()
        let ann = APIClient(session: browser)
        let billing = try await ann.createKey(["name": "Billing", "environment": "live"]).id
        let reports = try await ann.createKey(["name": "=Reports", "environment": "sandbox"]).id
        let admin = try await ann.createAdminKey(["name": "Deploy pipeline", "permissions": ["keys:read", "keys:write"]])
        let asAdmin = APIClient(
            client: browser.client, headers: [.authorization: "Bearer \(admin.token)", .userAgent: "Python-urllib/3.11"])
        let patched = try await asAdmin.patch(
            "/api/v1/keys/\(billing)", ["name": "Billing (prod)", "rateLimit": ["limit": 600, "window": "minute"]])
        try #require(patched.status == .ok, "\(patched.status) \(patched.text)")
        #expect(try await ann.delete("/api/v1/keys/\(reports)").status == .ok)

        var bob = Browser(browser.client)
        try await bob.signUp(email: "bob@example.com", password: "another good password")
        let bobsKey = try await APIClient(session: bob).createKey(["name": "Bob secret plans", "environment": "live"]).id
        return Fixture(billing: billing, reports: reports, bobsKey: bobsKey)
    }

    @Test func anEditByAnAdminKeyNamesTheKeyAsActorAndSaysWhatChanged() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            let keys = try await Self.fixture(app, &browser)

            let page = try await browser.get("/audit?event=key.updated")

            #expect(page.status == .ok)
            #expect(rowCount(page.text) == 1)
            #expect(
                page.text.contains(#"<a href="/admin-keys">Deploy pipeline</a> <span class="muted small">(admin key)</span>"#))
            #expect(page.text.contains("name: Billing → Billing (prod); rate limit: none → 600/min"))
            #expect(page.text.contains(#"<a href="/keys/\#(keys.billing)" title="\#(keys.billing)">Billing (prod)</a>"#))
            #expect(!page.text.contains(#"data-label="By">Python-urllib"#))
        }
    }

    @Test func filtersByKeyEventAndDateAndKeepsThemInPageLinks() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            let keys = try await Self.fixture(app, &browser)
            let today = String(RFC3339.string(from: app.clock.now).prefix(10))

            let byKey = try await browser.get("/audit?key=\(keys.reports)")
            let deleted = try await browser.get("/audit?event=key.deleted")
            let allKeyEvents = try await browser.get("/audit?event=key")
            let today_ = try await browser.get("/audit?from=\(today)&to=\(today)")
            let future = try await browser.get("/audit?from=2999-01-01")

            // =Reports: created, activated, deleted; shown by the name it had, as plain text (it is gone).
            #expect(rowCount(byKey.text) == 3)
            #expect(byKey.text.contains("=Reports <span class=\"muted small mono\">\(keys.reports) · deleted</span>"))
            #expect(!byKey.text.contains(#"href="/keys/\#(keys.reports)""#))
            #expect(byKey.text.contains(#"value="\#(keys.reports)""#), "the filter is echoed into the form")
            #expect(rowCount(deleted.text) == 1)
            // Billing created + activated + edited, =Reports created + activated + deleted.
            #expect(rowCount(allKeyEvents.text) == 6)
            #expect(rowCount(today_.text) > 6)
            #expect(rowCount(future.text) == 0)
            #expect(future.text.contains("No entries match these filters"))
            for page in [byKey, deleted, allKeyEvents, today_] {
                #expect(!page.text.contains("Bob secret plans"))
                #expect(!page.text.contains(keys.bobsKey))
            }
        }
    }

    @Test func paginationKeepsTheFilters() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let workspace = try await defaultProject(app).workspaceId
            for number in 1...55 {
                let spec = try ProjectSpec.validate(name: "p-\(number)", keyPrefix: nil, description: nil)
                _ = try await app.database.createProject(in: workspace, spec, origin: .commandLine, now: app.clock.now)
            }

            let first = try await browser.get("/audit?event=project.created")
            let second = try await browser.get("/audit?event=project.created&page=2")

            #expect(rowCount(first.text) == 50)
            #expect(first.text.contains(#"<a href="/audit?event=project.created&amp;page=2" rel="next">"#))
            #expect(rowCount(second.text) == 6)  // 55 + the Default project
            #expect(second.text.contains(#"<a href="/audit?event=project.created" rel="prev">"#))
            #expect(!second.text.contains(event("Workspace created")))
        }
    }

    @Test func anUnusableFilterSaysWhatToFixAndShowsNoEntries() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let page = try await browser.get("/audit?from=2026-02-31&to=2026-01-01&event=nope")

            #expect(page.status == .badRequest)
            #expect(rowCount(page.text) == 0)
            #expect(
                isInOrder(
                    page.text, [##"<a href="#filter-event">Choose an event"##, ##"<a href="#filter-from">Enter a start date"##]))
            #expect(page.text.contains(#"id="filter-from" name="from" value="2026-02-31" aria-invalid="true""#))
            #expect(!page.text.contains("Export CSV"))
        }
    }

    @Test func csvExportsTheFilteredLogSafelyAndOnlyThisWorkspace() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            let keys = try await Self.fixture(app, &browser)

            let all = try await browser.get("/audit.csv")
            let reports = try await browser.get("/audit.csv?key=\(keys.reports)")
            let bad = try await browser.get("/audit.csv?to=tomorrow")

            #expect(all.status == .ok)
            #expect(all.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(all.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"keysmith-audit-ws_") == true)
            #expect(all.headers[.cacheControl] == "no-store")
            let lines = all.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.first == "time,event,action,actor_type,actor,actor_id,object_id,object,detail,ip,user_agent")
            #expect(lines.contains { $0.contains(",key.updated,admin_key,Deploy pipeline,") })
            #expect(lines.contains { $0.contains("\"name: Billing → Billing (prod); rate limit: none → 600/min\"") == false })
            #expect(lines.contains { $0.contains(",name: Billing → Billing (prod); rate limit: none → 600/min,") })
            #expect(!all.text.contains(",=Reports"), "a cell starting with = is defused")
            #expect(all.text.contains(",'=Reports"))
            #expect(!all.text.contains("Bob secret plans"))
            #expect(!all.text.contains(keys.bobsKey))
            #expect(!all.text.contains("bob@example.com"))

            let reportLines = reports.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(reportLines.count == 4)  // header + created, activated, deleted
            #expect(reportLines.dropFirst().allSatisfy { $0.contains(keys.reports) })
            #expect(bad.status == .badRequest)
        }
    }

    @Test func anotherWorkspacesKeyIdFindsNothing() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            let keys = try await Self.fixture(app, &browser)

            let page = try await browser.get("/audit?key=\(keys.bobsKey)")
            let csv = try await browser.get("/audit.csv?key=\(keys.bobsKey)")

            #expect(page.status == .ok)
            #expect(rowCount(page.text) == 0)
            #expect(!page.text.contains("Bob secret plans"))
            #expect(csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1)
        }
    }
}
