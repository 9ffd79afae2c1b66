import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeysmithCore
import KeysmithServer
import KeysmithStore
import NIOCore
import Testing

@Suite struct KeyListTests {
    @Test func newAccountSeesTheFirstRunEmptyState() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let list = try await browser.get("/keys")

            #expect(list.status == .ok)
            #expect(list.text.contains("No API keys yet"))
            #expect(list.text.contains(#"<a class="button button-primary" href="/keys/new">Create your first key</a>"#))
            #expect(!list.text.contains(#"role="search""#))
            #expect(rowNames(list.text).isEmpty)
        }
    }

    // MARK: Search

    @Test func searchFindsKeysByNameDescriptionAndHintAndOffersAClearLink() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            try await browser.submit("/keys", keyForm(name: "Billing service", [("description", "charges cards")]))
            try await browser.submit("/keys", keyForm(name: "Search indexer", [("description", "nightly reindex job")]))
            try await browser.submit("/keys", keyForm(name: "Mailer"))
            let mailer = try #require(try await storedKeys(app).first { $0.name == "Mailer" })
            let hint = try #require(mailer.hint)

            for (query, expected) in [("BILLING", "Billing service"), ("reindex", "Search indexer"), (hint, "Mailer")] {
                let list = try await browser.get(
                    "/keys?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")

                #expect(rowNames(list.text) == [expected], "q=\(query)")
                #expect(list.text.contains(#"role="status">1 key matches</p>"#), "q=\(query)")
                #expect(list.text.contains(#"<a href="/keys" class="button-link">Clear</a>"#), "q=\(query)")
                #expect(list.text.contains(#"id="q" name="q" value="\#(query)""#), "q=\(query)")
            }
            let none = try await browser.get("/keys?q=nothing-like-this")
            #expect(rowNames(none.text).isEmpty)
            #expect(none.text.contains("No keys match"))
            #expect(!none.text.contains("Create your first key"))
            let unfiltered = try await browser.get("/keys")
            #expect(rowNames(unfiltered.text).count == 3)
            #expect(!unfiltered.text.contains(">Clear</a>"))
        }
    }

    @Test func aPastedTokenFindsItsKeyInTheConsoleAndTheAPIWithoutEchoingTheSecret() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let leaked = try await api.createKey(["name": "Leaked in a gist"])
            try await api.createKey(["name": "Bystander"])
            let token = try #require(leaked.token)
            let secret = try #require(leaked.secret)

            for search in [token, "Bearer \(token)", leaked.id] {
                let encoded = search.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                let list = try await browser.get("/keys?q=\(encoded)")
                let listed = try await api.get("/api/v1/keys?q=\(encoded)")

                #expect(rowNames(list.text) == ["Leaked in a gist"], "\(search.prefix(8))")
                #expect(list.text.contains(#"id="q" name="q" value="\#(leaked.id)""#), "the box shows the key id")
                #expect(!list.text.contains(secret), "the secret is not shown again")
                #expect(list.text.contains("1 key matches — the key that id or token belongs to"))
                #expect(try listed.json["data"]?.array?.compactMap { $0["name"]?.string } == ["Leaked in a gist"])
            }
        }
    }

    @Test func theFirstRunOffersOneCreateButtonAndTheDocs() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let list = try await browser.get("/keys")

            #expect(list.text.components(separatedBy: #"href="/keys/new""#).count - 1 == 1)
            #expect(list.text.contains(#"<a href="/docs/api#quick-start">quick start</a>"#))
        }
    }

    // MARK: Filters and sort

    static let filters: [(query: String, names: Set<String>)] = [
        ("environment=sandbox", ["Sandbox active"]),
        ("environment=live", ["Live active", "Pending one", "Disabled one", "Short lived"]),
        ("status=active", ["Live active", "Sandbox active"]),
        ("status=pending", ["Pending one"]),
        ("status=disabled", ["Disabled one"]),
        ("status=expired", ["Short lived"]),
        ("environment=sandbox&status=pending", []),
    ]

    @Test(arguments: filters)
    func filtersByEnvironmentAndEffectiveStatus(query: String, names: Set<String>) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let project = try await defaultProject(app)
            let now = app.clock.now
            try await insertKey(app, in: project, KeyDraft(name: "Live active"))
            try await insertKey(app, in: project, KeyDraft(name: "Sandbox active", environment: "sandbox"))
            try await insertKey(app, in: project, KeyDraft(name: "Pending one"), activate: false)
            let disabled = try await insertKey(app, in: project, KeyDraft(name: "Disabled one"))
            _ = try await app.database.changeKey(
                id: disabled.id.value, workspaceID: project.workspaceId, audit: .keyDisabled, origin: origin, now: now
            ) { try $0.disable(now: now) }
            try await insertKey(app, in: project, KeyDraft(name: "Short lived", ttl: "30d"))
            app.clock.advance(by: 31 * 86_400)
            #expect(try await browser.logIn().status == .seeOther)  // the session ran out meanwhile

            let list = try await browser.get("/keys?\(query)")

            #expect(list.status == .ok)
            #expect(Set(rowNames(list.text)) == names)
            #expect(list.text.contains(#">Clear</a>"#))
        }
    }

    @Test func keyCreatedWithThirtyDaysMovesFromActiveToExpiredAfterThirtyOneDays() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            try await browser.submit("/keys", keyForm(name: "Monthly", [("expiry", "30d")]))
            #expect(rowNames(try await browser.get("/keys?status=active").text) == ["Monthly"])
            #expect(rowNames(try await browser.get("/keys?status=expired").text).isEmpty)

            app.clock.advance(by: 31 * 86_400)
            #expect(try await browser.logIn().status == .seeOther)  // the session ran out meanwhile

            let expired = try await browser.get("/keys?status=expired")
            #expect(rowNames(expired.text) == ["Monthly"])
            #expect(expired.text.contains(#"<span class="badge badge-expired">Expired</span>"#))
            #expect(expired.text.contains(#"<option value="expired" selected>"#))
            #expect(rowNames(try await browser.get("/keys?status=active").text).isEmpty)
        }
    }

    @Test func sortsByNameIgnoringCaseOrNewestFirstByDefault() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            for name in ["bravo", "Alpha", "charlie"] {
                try await browser.submit("/keys", keyForm(name: name))
                app.clock.advance(by: 60)
            }

            let byName = try await browser.get("/keys?sort=name")
            let newest = try await browser.get("/keys")

            #expect(rowNames(byName.text) == ["Alpha", "bravo", "charlie"])
            #expect(byName.text.contains(#"<option value="name" selected>"#))
            #expect(rowNames(newest.text) == ["charlie", "Alpha", "bravo"])
        }
    }

    // MARK: Pagination

    @Test func paginationKeepsTheSearchFiltersAndSortInItsLinks() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let project = try await defaultProject(app)
            for number in 1...60 {
                try await insertKey(app, in: project, KeyDraft(name: String(format: "batch %02d", number)))
            }
            for number in 1...5 {
                try await insertKey(app, in: project, KeyDraft(name: "batch sandbox \(number)", environment: "sandbox"))
                try await insertKey(app, in: project, KeyDraft(name: "other \(number)"))
            }
            let query = "q=batch&amp;environment=live&amp;status=active&amp;sort=name"

            let first = try await browser.get("/keys?q=batch&environment=live&status=active&sort=name")

            #expect(rowNames(first.text) == (1...25).map { String(format: "batch %02d", $0) })
            #expect(first.text.contains("<span>Page 1 of 3</span>"))
            #expect(first.text.contains(#"role="status">60 keys match</p>"#))
            #expect(!first.text.contains("· 60 keys"), "the count shows once")
            #expect(first.text.contains(#"<a href="/keys?\#(query)&amp;page=2" rel="next">"#))
            #expect(!first.text.contains(#"rel="prev""#))
            #expect(
                first.text.contains(#"<span class="disabled" aria-disabled="true">← Previous</span>"#), "Previous keeps its place"
            )

            let second = try await browser.get("/keys?q=batch&environment=live&status=active&sort=name&page=2")

            #expect(rowNames(second.text) == (26...50).map { String(format: "batch %02d", $0) })
            #expect(second.text.contains(#"<a href="/keys?\#(query)" rel="prev">"#))
            #expect(second.text.contains(#"<a href="/keys?\#(query)&amp;page=3" rel="next">"#))

            let third = try await browser.get("/keys?q=batch&environment=live&status=active&sort=name&page=3")

            #expect(rowNames(third.text) == (51...60).map { String(format: "batch %02d", $0) })
            #expect(!third.text.contains(#"rel="next""#))
            #expect(third.text.contains(#"<span class="disabled" aria-disabled="true">Next →</span>"#), "Next keeps its place")
        }
    }

    @Test func tenThousandKeysInOneAccountListTwentyFiveAndSearchFindsTheOneNeedle() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let project = try await defaultProject(app)
            let now = app.clock.now
            let spec = try KeyDraft(name: "bulk key").validate(now: now)
            // The store writes one key per transaction; a few concurrent writers keep the async hops overlapped.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for number in stride(from: worker + 1, through: 9_999, by: 8) {
                            var key = APIKey(
                                id: KeyID.generate(prefix: .default, environment: .live), projectID: project.id,
                                workspaceID: project.workspaceId, creatorID: nil, spec: spec, customSecret: nil, now: now)
                            key.name = "bulk key \(number)"
                            _ = try await app.database.createKey(key, origin: origin, now: now)
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await insertKey(app, in: project, KeyDraft(name: "needle-in-the-haystack"))

            let first = try await browser.get("/keys")
            let found = try await browser.get("/keys?q=needle-in")

            #expect(first.status == .ok)
            #expect(rowNames(first.text).count == 25)
            #expect(first.text.contains(#"role="status">10,000 keys</p>"#))
            #expect(first.text.contains("Page 1 of 400"))
            #expect(rowNames(found.text) == ["needle-in-the-haystack"])
            #expect(found.text.contains("1 key matches"))
        }
    }
}

// MARK: - Helpers

private let origin = RequestOrigin(ip: "192.0.2.1", userAgent: "tests")

extension Browser {
    /// Posts fields in order, names may repeat, with this browser's CSRF token.
    @discardableResult
    fileprivate mutating func submit(_ path: String, _ fields: [(String, String)]) async throws -> TestResponse {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let pairs = [("csrf_token", csrfToken ?? "")] + fields
        let body = pairs.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&")
        return try await send(
            .post, path, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: body))
    }
}

private func keyForm(name: String, _ extra: [(String, String)] = []) -> [(String, String)] {
    var fields: [(String, String)] = [
        ("name", name), ("environment", "live"), ("owner_type", "personal"), ("token_type", "generated"),
        ("expiry", "never"), ("rate_limit_window", "minute"), ("activate", "on"),
    ]
    for (field, value) in extra {
        if let index = fields.firstIndex(where: { $0.0 == field }) {
            fields[index].1 = value
        } else {
            fields.append((field, value))
        }
    }
    return fields
}

/// Stores a key straight through the store, as fast as a test needing many keys wants.
@discardableResult
private func insertKey(_ app: TestApp, in project: ProjectRecord, _ draft: KeyDraft, activate: Bool = true) async throws
    -> APIKey
{
    let spec = try draft.validate(now: app.clock.now)
    var key = APIKey(
        id: KeyID.generate(prefix: .default, environment: spec.environment), projectID: project.id,
        workspaceID: project.workspaceId, creatorID: nil, spec: spec, customSecret: nil, now: app.clock.now)
    if activate { try key.activate(with: nil, now: app.clock.now) }
    return try await app.database.createKey(key, origin: origin, now: app.clock.now)
}

/// The names in the list's rows, top to bottom (as rendered, so still HTML-escaped).
private func rowNames(_ html: String) -> [String] {
    html.matches(of: #/<td class="key-name"><a href="/keys/[^"]+" title="[^"]*">([^<]*)</a>/#).map { String($0.1) }
}

private func storedKeys(_ app: TestApp) async throws -> [APIKey] {
    try await app.database.keys(
        projectID: try await defaultProject(app).id, matching: KeyListQuery(pageSize: 100), now: app.clock.now
    )
    .items
}
