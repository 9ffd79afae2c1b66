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

@Suite struct KeysConsoleTests {
    // MARK: Create and reveal

    @Test func keyWithEveryFieldIsStoredAsTypedAndItsTokenIsShownExactlyOnce() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            try await browser.get("/keys/new")

            let created = try await browser.submit("/keys", keyForm(name: "Billing service (prod)", Self.everyField))

            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let match = try #require(location.wholeMatch(of: #/\/keys\/(ks_live_[0-9A-Za-z]{16})\/reveal\/[^\/]+/#))
            let id = String(match.1)
            let reveal = try await browser.get(location)
            #expect(reveal.status == .ok)
            #expect(reveal.headers[.cacheControl] == "no-store")
            let token = try #require(inputValue(id: "token", in: reveal.text))
            let secret = try #require(inputValue(id: "secret-value", in: reveal.text))
            #expect(token.wholeMatch(of: #/ks_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}/#) != nil)
            #expect(token == "\(id)_\(secret)")
            #expect(reveal.text.contains("This is the only time you will see this secret."))
            #expect(reveal.text.contains("curl -H &quot;Authorization: Bearer $KEYSMITH_TOKEN&quot;"))
            #expect(reveal.text.components(separatedBy: secret).count - 1 == 2, "the token and the folded-away secret only")

            #expect(!created.text.contains(secret))

            let again = try await browser.get(location)
            #expect(again.status == .gone)
            #expect(!again.text.contains(secret))

            let hint = "\(id.prefix(12))…\(secret.suffix(4))"
            for path in ["/keys", "/keys/\(id)", "/keys/\(id)/edit", "/audit"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains(secret), "\(path) shows the secret")
                if path == "/keys/\(id)" { #expect(page.text.contains(hint), "\(path) lacks the hint") }
                if path == "/keys" {
                    #expect(page.text.contains(id) && page.text.contains("…\(secret.suffix(4))"), "the list lacks id or hint")
                }
            }

            let key = try #require(try await app.database.key(id: id))
            #expect(key.name == "Billing service (prod)")
            #expect(key.description == "Charges cards for the shop.\r\nOwned by payments.")
            #expect(key.environment == .live)
            #expect(key.ownerType == .service)
            #expect(key.scopes.scopes.map(\.value) == ["keys:read", "keys:write", "orders:*", "orders:read"])
            #expect(key.tokenType == .generated)
            #expect(key.status == .active)
            #expect(key.activatedAt == app.clock.now)
            #expect(key.expiresAt == app.clock.now.addingTimeInterval(90 * 86_400))
            #expect(key.ipAllowlist.entries == ["10.0.0.0/8", "192.168.178.0/24", "2001:db8::/32"])
            #expect(key.rateLimit == RateLimit(limit: 100, window: .minute))
            #expect(key.quota == UsageQuota(remaining: 5000, refill: .monthly))
            #expect(key.quotaBalance?.remaining == 5000)
            #expect(key.responseHeaders.map(\.name) == ["X-Team", "X-Key-Id"])
            #expect(key.responseHeaders.map(\.value) == ["billing", "${key.id}"])
            #expect(key.responseHeaders.map(\.exclude) == [false, true])
            #expect(key.meta.json == #"{"team":"billing","tier":2}"#)
            #expect(key.hint == hint)
            let secretHash = try #require(key.secrets.current?.hash)
            #expect(!secretHash.contains(secret))
            #expect(Argon2id.verify(secret, encoded: secretHash))
        }
    }

    @Test func newKeysFollowTheAccountsKeyPrefix() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            #expect(
                try await browser.post(try await settingsPath(app), ["name": "Default", "key_prefix": "acme"]).status == .seeOther
            )

            let created = try await browser.submit("/keys", keyForm(name: "Acme key"))

            let id = try #require(revealedKeyID(created))
            #expect(id.hasPrefix("acme_live_"))
            let token = try #require(inputValue(id: "token", in: try await browser.get(created.headers[.location] ?? "").text))
            #expect(token.wholeMatch(of: #/acme_live_[0-9A-Za-z]{16}_[0-9A-Za-z]{38}/#) != nil)
        }
    }

    @Test func keyCreatedWithoutActivateIsPendingUntilActivatedThenRevealsItsSecret() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let created = try await browser.submit("/keys", keyForm(name: "Later", activate: false))

            #expect(created.status == .seeOther)
            let id = try #require(created.headers[.location].map { String($0.dropFirst("/keys/".count)) })
            #expect(created.headers[.location] == "/keys/\(id)")
            let pending = try #require(try await app.database.key(id: id))
            #expect(pending.status == .pending)
            #expect(pending.secrets.current?.hash == nil)
            let detail = try await browser.get("/keys/\(id)")
            #expect(detail.text.contains("Activate it to get its secret."))
            #expect(detail.text.contains(#"action="/keys/\#(id)/activate""#))

            let activated = try await browser.submit("/keys/\(id)/activate", [])

            #expect(activated.status == .seeOther)
            #expect(activated.headers[.location]?.hasPrefix("/keys/\(id)/reveal/") == true)
            let secret = try #require(
                inputValue(id: "secret-value", in: try await browser.get(activated.headers[.location] ?? "").text))
            let key = try #require(try await app.database.key(id: id))
            #expect(key.status == .active)
            #expect(key.activatedAt == app.clock.now)
            #expect(Argon2id.verify(secret, encoded: try #require(key.secrets.current?.hash)))
        }
    }

    @Test func customSecretKeyIsActiveWithoutARevealAndItsSecretIsNeverShown() async throws {
        let app = try await TestApp()
        let secret = "my-own-Secret_value#2027!"
        try await app.run { browser in
            try await browser.signUp()

            let created = try await browser.submit(
                "/keys", keyForm(name: "Legacy import", [("token_type", "custom"), ("secret", secret)]))

            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            #expect(!location.contains("/reveal/"))
            let id = String(location.dropFirst("/keys/".count))
            let key = try #require(try await app.database.key(id: id))
            #expect(key.status == .active)
            #expect(key.tokenType == .custom)
            #expect(Argon2id.verify(secret, encoded: try #require(key.secrets.current?.hash)))
            #expect(!Argon2id.verify(secret + "x", encoded: try #require(key.secrets.current?.hash)))
            var pages = [created]
            for path in [location, "/keys", "/keys/\(id)/edit", "/audit"] { pages.append(try await browser.get(path)) }
            #expect(pages[1].text.contains("It uses the custom secret you entered"))
            for page in pages { #expect(!page.text.contains(secret)) }
        }
    }

    // MARK: Invalid input

    struct BadInput: Sendable, CustomTestStringConvertible {
        let label: String
        let fields: [(String, String)]
        /// What must appear right next to the failing field.
        let fieldError: String
        /// A typed value the form must show again.
        let kept: String
        var testDescription: String { label }
    }

    static let badInputs: [BadInput] = [
        BadInput(
            label: "empty name", fields: [("name", "  "), ("description", "typed description")],
            fieldError: #"id="name-error"><span class="visually-hidden">Error: </span>Enter a name.</p>"#,
            kept: ">typed description</textarea>"),
        BadInput(
            label: "prefix length 33", fields: [("ip_allowlist", "10.0.0.1/33")],
            fieldError:
                #"id="ip_allowlist-error"><span class="visually-hidden">Error: </span>Entry 1: “10.0.0.1/33”: the prefix length must be 0–32 for IPv4."#,
            kept: ">10.0.0.1/33</textarea>"),
        BadInput(
            label: "leading zero", fields: [("ip_allowlist", "010.0.0.1")],
            fieldError:
                #"id="ip_allowlist-error"><span class="visually-hidden">Error: </span>Entry 1: “010.0.0.1” has an octet with a leading zero"#,
            kept: ">010.0.0.1</textarea>"),
        BadInput(
            label: "past date", fields: [("expiry", "date"), ("expires_on", "2020-01-01")],
            fieldError:
                #"id="expiresAt-error"><span class="visually-hidden">Error: </span>The expiry must be in the future.</p>"#,
            kept: #"value="2020-01-01""#),
        BadInput(
            label: "invalid JSON", fields: [("meta", #"{"team": billing}"#)],
            fieldError: #"id="meta-error"><span class="visually-hidden">Error: </span>Enter valid JSON"#,
            kept: #">{&quot;team&quot;: billing}</textarea>"#),
        BadInput(
            label: "unknown placeholder", fields: [("header_name", "X-Thing"), ("header_value", "id-${nope}")],
            fieldError:
                #"id="responseHeaders-error"><span class="visually-hidden">Error: </span>X-Thing: unknown placeholder ${nope}"#,
            kept: #"value="id-${nope}""#),
        BadInput(
            label: "short custom secret", fields: [("token_type", "custom"), ("secret", "tooShort#123")],
            fieldError: #"id="secret-error"><span class="visually-hidden">Error: </span>Use at least 24 characters.</p>"#,
            kept: #"value="custom" checked"#),
    ]

    @Test(arguments: badInputs)
    func badInputReRendersTheFormWithMessagesAndTypedValuesAndCreatesNothing(_ bad: BadInput) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.submit("/keys", keyForm(name: "Typed name", bad.fields))

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("Nothing was saved: fix this field and submit again."))
            #expect(response.text.contains(bad.fieldError))
            #expect(response.text.contains(bad.kept))
            if bad.label != "empty name" { #expect(response.text.contains(#"value="Typed name""#)) }
            #expect(!response.text.contains("tooShort#123"))
            #expect(try await keyCount(app) == 0)
        }
    }

    @Test func reRenderedFormNeverEchoesAValidCustomSecret() async throws {
        let app = try await TestApp()
        let secret = "a-perfectly-fine-secret-42!"
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.submit(
                "/keys", keyForm(name: "Custom", [("token_type", "custom"), ("secret", secret), ("ip_allowlist", "10.0.0.1/33")]))

            #expect(response.status == .unprocessableContent)
            #expect(!response.text.contains(secret))
            #expect(response.text.contains(#"<input type="password" id="secret" name="secret" autocomplete="off""#))
            #expect(try await keyCount(app) == 0)
        }
    }

    @Test func duplicateNameInTheSameAccountIsAConflictNextToTheNameAndCreatesNothing() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            try await browser.submit("/keys", keyForm(name: "Billing"))
            let auditBefore = try await auditCount(app)

            let response = try await browser.submit("/keys", keyForm(name: " Billing ", [("description", "second try")]))

            #expect(response.status == .conflict)
            #expect(
                response.text.contains(
                    #"id="name-error"><span class="visually-hidden">Error: </span>This project already has a key named “Billing”. Choose another name.</p>"#
                ))
            #expect(response.text.contains(">second try</textarea>"))
            #expect(try await keyCount(app) == 1)
            #expect(try await auditCount(app) == auditBefore)
        }
    }

    @Test func sameNameInAnotherAccountIsFine() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            try await browser.submit("/keys", keyForm(name: "Billing"))
            var bob = Browser(browser.client)
            try await bob.signUp(email: "bob@example.com")

            let response = try await bob.submit("/keys", keyForm(name: "Billing"))

            #expect(response.status == .seeOther)
            #expect(try await keyCount(app, email: "bob@example.com") == 1)
            #expect(try await keyCount(app) == 1)
        }
    }

    // MARK: Escaping

    @Test func nameAndDescriptionAreEscapedOnListAndDetail() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await browser.submit(
                "/keys", keyForm(name: "<script>alert(1)</script>", [("description", #"Say "hi" & 'bye' <b>now</b>"#)]))
            let id = try #require(revealedKeyID(created))

            let list = try await browser.get("/keys")
            let detail = try await browser.get("/keys/\(id)")

            for page in [list, detail] {
                #expect(page.text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(!page.text.contains("<script>alert(1)</script>"))
            }
            #expect(detail.text.contains("Say &quot;hi&quot; &amp; &#39;bye&#39; &lt;b&gt;now&lt;/b&gt;"))
            #expect(!detail.text.contains("<b>now</b>"))
        }
    }

    // MARK: Edit

    @Test func editChangesNameScopesAndAllowlistButKeepsEnvironmentAndExactExpiry() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await browser.submit(
                "/keys",
                keyForm(
                    name: "Old name",
                    [("scope", "keys:read"), ("ip_allowlist", "10.0.0.0/8"), ("expiry", "30d"), ("rate_limit", "10")]))
            let id = try #require(revealedKeyID(created))
            let before = try #require(try await app.database.key(id: id))
            app.clock.advance(by: 3_600)
            let form = try await browser.get("/keys/\(id)/edit")
            #expect(form.text.contains(#"<option value="keep" selected>"#))

            let saved = try await browser.submit(
                "/keys/\(id)/edit",
                [
                    ("name", "New name"), ("description", ""), ("environment", "sandbox"), ("owner_type", "personal"),
                    ("scope", "keys:write"), ("extra_scopes", "orders:read"), ("expiry", "keep"),
                    ("ip_allowlist", "192.168.0.0 255.255.0.0\n2001:db8::1"),
                    ("rate_limit", "10"), ("rate_limit_window", "minute"), ("token_type", "custom"),
                ])

            #expect(saved.status == .seeOther)
            #expect(saved.headers[.location] == "/keys/\(id)")
            let after = try #require(try await app.database.key(id: id))
            #expect(after.name == "New name")
            #expect(after.scopes.scopes.map(\.value) == ["keys:write", "orders:read"])
            #expect(after.ipAllowlist.entries == ["192.168.0.0/16", "2001:db8::1"])
            #expect(after.environment == .live)
            #expect(after.tokenType == .generated)
            #expect(after.expiresAt == before.expiresAt)
            #expect(after.secrets.current?.hash == before.secrets.current?.hash)
            #expect(after.status == .active)
            #expect(after.updatedAt == app.clock.now)
            #expect(try await browser.get("/keys/\(id)").text.contains("Changes to “New name” saved."))
        }
    }

    @Test func keepingTheExpiryKeepsItToTheSubsecond() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            app.clock.advance(by: 0.25)  // keys made by a real clock are rarely on a whole second
            let created = try await browser.submit("/keys", keyForm(name: "Fractional", [("expiry", "1y")]))
            let id = try #require(revealedKeyID(created))
            let before = try #require(try await app.database.key(id: id))

            let saved = try await browser.submit(
                "/keys/\(id)/edit", keyForm(name: "Fractional renamed", [("expiry", "keep")]))

            #expect(saved.status == .seeOther)
            let after = try #require(try await app.database.key(id: id))
            #expect(after.name == "Fractional renamed")
            #expect(after.expiresAt == before.expiresAt)
        }
    }

    @Test func expiredKeyCanBeRenamedWhileKeepingItsExpiry() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let id = try #require(revealedKeyID(try await browser.submit("/keys", keyForm(name: "Old", [("expiry", "30d")]))))
            let before = try #require(try await app.database.key(id: id))
            app.clock.advance(by: 31 * 86_400)
            #expect(try await browser.logIn().status == .seeOther)  // the session ran out meanwhile
            try await browser.get("/keys/\(id)/edit")

            let saved = try await browser.submit("/keys/\(id)/edit", keyForm(name: "Old, renamed", [("expiry", "keep")]))

            #expect(saved.status == .seeOther)
            let after = try #require(try await app.database.key(id: id))
            #expect(after.name == "Old, renamed")
            #expect(after.expiresAt == before.expiresAt)
        }
    }

    @Test func invalidEditReRendersWith422AndChangesNothing() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let id = try #require(revealedKeyID(try await browser.submit("/keys", keyForm(name: "Stable"))))
            let before = try #require(try await app.database.key(id: id))

            let response = try await browser.submit(
                "/keys/\(id)/edit", keyForm(name: "Renamed", [("ip_allowlist", "010.0.0.1")]))

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains(#"id="ip_allowlist-error""#))
            #expect(response.text.contains(#"value="Renamed""#))
            #expect(try await app.database.key(id: id) == before)
        }
    }
}

// MARK: - Helpers

/// A valid create form; `changes` replace the single-valued defaults with the same name, other fields are appended.
private func keyForm(name: String, _ changes: [(String, String)] = [], activate: Bool = true) -> [(String, String)] {
    var fields: [(String, String)] = [
        ("name", name), ("description", ""), ("environment", "live"), ("owner_type", "personal"),
        ("token_type", "generated"), ("secret", ""), ("expiry", "never"), ("expires_on", ""), ("ip_allowlist", ""),
        ("rate_limit", ""), ("rate_limit_window", "minute"), ("quota", ""), ("meta", ""),
    ]
    let defaults = Set(fields.map(\.0))
    for (field, value) in changes {
        if defaults.contains(field), let index = fields.firstIndex(where: { $0.0 == field }) {
            fields[index].1 = value
        } else {
            fields.append((field, value))
        }
    }
    if activate { fields.append(("activate", "on")) }
    return fields
}

extension KeysConsoleTests {
    /// Every field of the create form filled in, as a browser sends it (textareas with CRLF).
    static let everyField: [(String, String)] = [
        ("description", "Charges cards for the shop.\r\nOwned by payments."), ("owner_type", "service"),
        ("scope", "keys:read"), ("scope", "keys:write"), ("extra_scopes", "orders:read orders:*"), ("expiry", "90d"),
        ("ip_allowlist", "10.0.0.0/8\r\n192.168.178.0 255.255.255.0\r\n2001:db8::/32"), ("rate_limit", "100"),
        ("rate_limit_window", "minute"), ("quota", "5000"), ("quota_refill", "monthly"),
        ("header_name", "X-Team"), ("header_value", "billing"), ("header_name", "X-Key-Id"),
        ("header_value", "${key.id}"), ("header_name", ""), ("header_value", ""), ("header_exclude", "1"),
        ("meta", #"{"tier": 2, "team": "billing"}"#),
    ]
}

/// The key id from a redirect to its reveal page.
private func revealedKeyID(_ response: TestResponse) -> String? {
    guard let location = response.headers[.location],
        let match = location.wholeMatch(of: #/\/keys\/([a-z]+_[a-z]+_[0-9A-Za-z]{16})\/reveal\/[^\/]+/#)
    else { return nil }
    return String(match.1)
}

/// The `value` of the `<input>` with this id, as the browser would show it (only `&quot;`/`&amp;` need undoing here).
/// The value of the input, or the text of the text area (the reveal page's token), with this id.
private func inputValue(id: String, in html: String) -> String? {
    let textArea = #/<textarea [^>]*id="(?<id>[^"]+)"[^>]*>(?<text>[^<]*)</textarea>/#
    if let match = html.matches(of: textArea).first(where: { $0.id == id }) { return String(match.text) }
    return attribute("value", ofTagWith: #"id="\#(id)""#, in: html)
}

private func attribute(_ attribute: String, ofTagWith marker: String, in html: String) -> String? {
    guard let markerRange = html.range(of: marker) else { return nil }
    let tagEnd = html[markerRange.upperBound...].firstIndex(of: ">") ?? html.endIndex
    let tagStart = html[..<markerRange.lowerBound].lastIndex(of: "<") ?? html.startIndex
    let tag = html[tagStart..<tagEnd]
    guard let start = tag.range(of: " \(attribute)=\"") else { return nil }
    let rest = tag[start.upperBound...]
    guard let end = rest.firstIndex(of: "\"") else { return nil }
    return String(rest[..<end]).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
}

private func keyCount(_ app: TestApp, email: String = "ann@example.com") async throws -> Int {
    let project = try await defaultProject(app, email: email)
    return try await app.database.keys(projectID: project.id, matching: KeyListQuery(), now: app.clock.now).totalCount
}

private func auditCount(_ app: TestApp, email: String = "ann@example.com") async throws -> Int {
    let project = try await defaultProject(app, email: email)
    return try await app.database.auditEntries(workspaceID: project.workspaceId, page: 1).totalCount
}
