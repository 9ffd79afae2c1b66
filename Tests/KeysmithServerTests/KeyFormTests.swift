import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithServer
import KeysmithStore
import Testing

/// The create/edit form through HTTP: values for choices not made are refused and change nothing, normalised
/// allowlists are stored as networks and said so, a key may start disabled, and the scope grid gives its scopes.
@Suite struct KeyFormTests {
    @Test func createRefusesADateWithNeverAndCreatesNothing() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let auditBefore = try await auditCount(app)

            let response = try await browser.submit(
                "/keys", form(name: "Never with a date", [("expiry", "never"), ("expires_on", "2027-06-30")]))

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("The date is only used with “On a date…”: clear it, or choose that option."))
            #expect(response.text.contains(##"<a href="#expires_on">Expires: The date is only used"##))
            #expect(response.text.contains(#"id="error-summary" role="alert" tabindex="-1" autofocus"#))
            #expect(try await keyCount(app) == 0)
            #expect(try await auditCount(app) == auditBefore)
        }
    }

    @Test func createRefusesOnADateWithoutADate() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.submit("/keys", form(name: "No date", [("expiry", "date")]))

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains(##"<a href="#expires_on">Expires: Pick the last day the key works"##))
            #expect(try await keyCount(app) == 0)
        }
    }

    @Test func editRefusesADateWithNeverAndChangesNothing() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await browser.submit("/keys", form(name: "Billing", status: "pending"))
            let id = try #require(created.headers[.location]?.split(separator: "/").last.map(String.init))
            let before = try #require(try await app.database.key(id: id))
            let auditBefore = try await auditCount(app)
            try await browser.get("/keys/\(id)/edit")

            let response = try await browser.submit(
                "/keys/\(id)/edit",
                form(name: "Billing renamed", [("expiry", "never"), ("expires_on", "2027-06-30")], status: nil))

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("The date is only used with “On a date…”"))
            #expect(response.text.contains(#"value="Billing renamed""#), "what was typed is shown again")
            #expect(try await app.database.key(id: id) == before)
            #expect(try await auditCount(app) == auditBefore)
        }
    }

    @Test func editOfAKeyWithAnExpiryKeepsItWithoutSendingTheDate() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let created = try await browser.submit(
                "/keys", form(name: "Expiring", [("expiry", "date"), ("expires_on", "2027-06-30")], status: "pending"))
            let id = try #require(created.headers[.location]?.split(separator: "/").last.map(String.init))

            let edit = try await browser.get("/keys/\(id)/edit")

            #expect(edit.text.contains(#"<option value="keep" selected>Keep: "#))
            #expect(edit.text.contains(#"id="expires_on" name="expires_on" value="""#), "the hidden date starts empty")
            let saved = try await browser.submit("/keys/\(id)/edit", form(name: "Expiring", [("expiry", "keep")], status: nil))
            #expect(saved.status == .seeOther)
            let key = try #require(try await app.database.key(id: id))
            #expect(key.expiresAt.map { ISO8601DateFormatter().string(from: $0) } == "2027-06-30T23:59:59Z")
        }
    }

    @Test func aMonthlyRefillWithoutAQuotaIsRefused() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.submit("/keys", form(name: "Refill", [("quota_refill", "monthly")]))

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("A monthly refill needs a quota"))
            #expect(try await keyCount(app) == 0)
        }
    }

    @Test func hostBitsAndNetmasksAreStoredAsTheNetworkAndTheNoticeSaysSo() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let created = try await browser.submit(
                "/keys",
                form(
                    name: "Office", [("ip_allowlist", "192.168.178.1 255.255.255.0\r\n10.1.2.3/16\r\n203.0.113.7")],
                    status: "pending"))

            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let id = try #require(location.split(separator: "/").last.map(String.init))
            #expect(
                try await app.database.key(id: id)?.ipAllowlist.entries == ["192.168.178.0/24", "10.1.0.0/16", "203.0.113.7"])
            let detail = try await browser.get(location)
            #expect(
                detail.text.contains(
                    "IP allowlist: 192.168.178.1 255.255.255.0 was stored as 192.168.178.0/24; 10.1.2.3/16 was stored as 10.1.0.0/16."
                ))
            #expect(detail.text.contains("192.168.178.0/24"))
        }
    }

    @Test func aNonContiguousNetmaskIsAClearError() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.submit("/keys", form(name: "Odd mask", [("ip_allowlist", "10.0.0.1 255.0.255.0")]))

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("the netmask 255.0.255.0 is not contiguous"))
            #expect(response.text.contains(##"<a href="#ip_allowlist">IP allowlist: "##))
            #expect(try await keyCount(app) == 0)
        }
    }

    @Test func aKeyCreatedDisabledGetsItsSecretButIsRefusedUntilEnabled() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let created = try await browser.submit("/keys", form(name: "Handed out later", status: "disabled"))

            let location = try #require(created.headers[.location])
            #expect(location.contains("/reveal/"), "the secret is shown once, like an active key's")
            let id = String(location.split(separator: "/")[1])
            let key = try #require(try await app.database.key(id: id))
            #expect(key.status == .disabled)
            #expect(key.secrets.current != nil)
            let audit = try await app.database.auditEntries(workspaceID: key.workspaceID, subject: id).map(\.action)
            #expect(Set(audit) == ["key.created", "key.activated", "key.disabled"])
        }
    }

    @Test func theAPICreatesADisabledKeyWithItsTokenThatVerificationRefuses() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)

            let created = try await api.createKey(["name": "seeded inactive", "status": "disabled"])

            #expect(created.body["status"] == .string("disabled"))
            let token = try #require(created.token)
            #expect(try await api.verify(token: token)["code"] == .string("DISABLED"))
            let enabled = try await api.post("/api/v1/keys/\(created.id)/enable")
            #expect(enabled.status == .ok)
            #expect(try await api.verify(token: token)["code"] == .string("VALID"))
        }
    }

    @Test(arguments: [
        (["name": "x", "status": "expired"] as [String: any Sendable], "A new key starts active, pending or disabled."),
        (["name": "x", "status": "disabled", "activate": false], "contradicts"),
    ])
    func theAPIRefusesAStatusANewKeyCannotHave(body: [String: any Sendable], message: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)

            let response = try await api.post("/api/v1/keys", body)

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains(message))
            #expect(try await keyCount(app) == 0)
        }
    }

    @Test func theScopeGridGivesReadOrReadAndWriteAndOffersTheProjectsResources() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let created = try await browser.submit(
                "/keys",
                form(
                    name: "Grid", [("extra_scopes", "orders:read invoices:read reports:*"), ("scope.orders", "write")],
                    status: "pending"))
            #expect(created.status == .seeOther)
            let id = try #require(created.headers[.location]?.split(separator: "/").last.map(String.init))
            #expect(
                try await app.database.key(id: id)?.scopes.scopes.map(\.value) == [
                    "invoices:read", "orders:read", "orders:write", "reports:*",
                ])

            let next = try await browser.get("/keys/new")
            #expect(next.text.contains(#"name="scope.invoices" value="none" checked"#))
            #expect(next.text.contains(#"name="scope.orders" value="none" checked"#))
            #expect(!next.text.contains(#"name="scope.reports""#), "reports:* is neither read nor write")
            let edit = try await browser.get("/keys/\(id)/edit")
            #expect(edit.text.contains(#"name="scope.orders" value="write" checked"#))
            #expect(edit.text.contains(#"name="scope.invoices" value="read" checked"#))
            #expect(edit.text.contains(#"value="reports:*""#), "what the grid cannot say stays free text")
        }
    }

    @Test func aGridCellThatIsNotNoneReadOrWriteIsRefused() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.submit("/keys", form(name: "Grid", [("scope.orders", "admin")]))

            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("Choose none, read or write for “orders”."))
            #expect(try await keyCount(app) == 0)
        }
    }

    @Test func eightBadScopesGiveOneMessage() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.submit(
                "/keys", form(name: "Scopes", [("extra_scopes", "A B C D E F G H")]))

            #expect(response.status == .unprocessableContent)
            #expect(
                response.text.components(separatedBy: "use resource:action").count == 3, "once in the summary, once by the field")
        }
    }
}

// MARK: - Helpers

/// The create form as the browser sends it; `status` nil leaves it out (the edit form has none).
private func form(name: String, _ extra: [(String, String)] = [], status: String? = "active") -> [(String, String)] {
    var fields: [(String, String)] = [
        ("name", name), ("description", ""), ("environment", "live"), ("owner_type", "personal"), ("extra_scopes", ""),
        ("token_type", "generated"), ("secret", ""), ("expiry", "never"), ("expires_on", ""), ("ip_allowlist", ""),
        ("rate_limit", ""), ("rate_limit_window", "minute"), ("quota", ""), ("meta", ""),
    ]
    for (field, value) in extra {
        if let index = fields.firstIndex(where: { $0.0 == field }) {
            fields[index].1 = value
        } else {
            fields.append((field, value))
        }
    }
    if let status { fields.append(("status", status)) }
    return fields
}

private func keyCount(_ app: TestApp) async throws -> Int {
    try await app.database.keys(projectID: try await defaultProject(app).id, matching: KeyListQuery(), now: app.clock.now)
        .totalCount
}

private func auditCount(_ app: TestApp) async throws -> Int {
    try await app.database.auditEntries(workspaceID: try await defaultProject(app).workspaceId, page: 1).totalCount
}
