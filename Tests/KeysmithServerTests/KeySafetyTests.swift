import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithServer
import KeysmithStore
import Testing

/// Issue 15 point 5: the changes that break callers at once ask first (disable, rotate with no grace, delete), the
/// detail page says when a key needs attention, and a rotation's grace can be ended early.
@Suite struct KeySafetyTests {
    /// Signs up, makes an active key through the API and hands over its id and token.
    func withKey(
        _ fields: String = "{}", _ test: @Sendable (TestApp, inout Browser, APIClient, CreatedKey) async throws -> Void
    ) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            var body = try #require(try JSONSerialization.jsonObject(with: Data(fields.utf8)) as? [String: Any])
            body["name"] = "Payments backend"
            let key = try await api.createKey(body)
            try await test(app, &browser, api, key)
        }
    }

    // MARK: Disable

    @Test func theDetailPageLinksToTheDisableConfirmationInsteadOfDisablingInOneClick() async throws {
        try await withKey { _, browser, _, key async throws in
            let detail = try await browser.get("/keys/\(key.id)")

            #expect(detail.text.contains(#"href="/keys/\#(key.id)/disable""#))
            #expect(!detail.text.contains(#"action="/keys/\#(key.id)/disable""#))
        }
    }

    @Test func theDisableConfirmationChangesNothingAndItsFormDisablesWithAnAuditEntry() async throws {
        try await withKey { app, browser, _, key async throws in
            let before = try await app.database.key(id: key.id)
            let auditBefore = try await auditActions(app, key.id)

            let confirmation = try await browser.get("/keys/\(key.id)/disable")

            #expect(confirmation.status == .ok)
            #expect(confirmation.text.contains("Disable “Payments backend”?"))
            #expect(confirmation.text.contains(#"<form method="post" action="/keys/\#(key.id)/disable""#))
            #expect(confirmation.text.contains(#"name="csrf_token""#))
            #expect(try await app.database.key(id: key.id) == before)
            #expect(try await auditActions(app, key.id) == auditBefore)

            let disabled = try await browser.submit("/keys/\(key.id)/disable", [])

            #expect(disabled.status == .seeOther)
            #expect(try await app.database.key(id: key.id)?.status == .disabled)
            #expect(try await auditActions(app, key.id).first == .keyDisabled)
        }
    }

    @Test func theDisableConfirmationOfAKeyThatIsNotActiveSendsBackToTheKeyWithWhy() async throws {
        try await withKey { app, browser, api, key async throws in
            try await api.post("/api/v1/keys/\(key.id)/disable")

            let response = try await browser.get("/keys/\(key.id)/disable")

            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/keys/\(key.id)")
            #expect(try await browser.get("/keys/\(key.id)").text.contains("Only an active key can be disabled"))
        }
    }

    // MARK: Banners and the danger zone

    @Test func aDisabledKeyShowsABannerWithEnable() async throws {
        try await withKey { _, browser, api, key async throws in
            try await api.post("/api/v1/keys/\(key.id)/disable")

            let detail = try await browser.get("/keys/\(key.id)").text

            #expect(detail.contains("This key is disabled."))
            #expect(detail.contains(#"action="/keys/\#(key.id)/enable""#))
        }
    }

    @Test func aPendingKeyShowsABannerWithActivate() async throws {
        try await withKey(#"{"activate": false}"#) { _, browser, _, key async throws in
            let detail = try await browser.get("/keys/\(key.id)").text

            #expect(detail.contains("This key is pending."))
            #expect(detail.contains(#"action="/keys/\#(key.id)/activate""#))
        }
    }

    @Test func deleteSitsInTheDangerZoneAtTheBottomNotBesideEdit() async throws {
        try await withKey { _, browser, _, key async throws in
            let detail = try await browser.get("/keys/\(key.id)").text

            let header = try #require(detail.range(of: #"<div class="page-header">"#))
            let details = try #require(detail.range(of: #"id="details-heading""#))
            let audit = try #require(detail.range(of: #"id="audit-heading""#))
            let danger = try #require(detail.range(of: #"id="danger-heading">Danger zone"#))
            let delete = try #require(detail.range(of: #"href="/keys/\#(key.id)/delete""#))
            #expect(!detail[header.upperBound..<details.lowerBound].contains("/delete"))
            #expect(audit.lowerBound < danger.lowerBound && danger.lowerBound < delete.lowerBound)
        }
    }

    // MARK: Rotate now

    @Test func rotatingWithNoGraceAsksFirstAndChangesNothingUntilConfirmed() async throws {
        try await withKey { app, browser, _, key async throws in
            let before = try await app.database.key(id: key.id)

            let unconfirmed = try await browser.submit("/keys/\(key.id)/rotate", [("grace", "0s")])

            #expect(unconfirmed.status == .seeOther)
            #expect(unconfirmed.headers[.location] == "/keys/\(key.id)/rotate-now")
            let confirmation = try await browser.get("/keys/\(key.id)/rotate-now")
            #expect(confirmation.status == .ok)
            #expect(confirmation.text.contains("stops working immediately"))
            #expect(confirmation.text.contains(#"<input type="hidden" name="grace" value="0s">"#))
            #expect(confirmation.text.contains(#"<input type="hidden" name="confirm" value="yes">"#))
            #expect(try await app.database.key(id: key.id) == before)

            let rotated = try await browser.submit("/keys/\(key.id)/rotate", [("grace", "0s"), ("confirm", "yes")])

            #expect(try #require(rotated.headers[.location]).hasPrefix("/keys/\(key.id)/reveal/"))
            let whoami = try await APIClient(token: try #require(key.token), client: browser.client).get("/api/v1/whoami")
            #expect(whoami.status == .unauthorized)
        }
    }

    @Test func theRotateOptionsSayWhatHappensToTheOldSecret() async throws {
        try await withKey { _, browser, _, key async throws in
            let detail = try await browser.get("/keys/\(key.id)").text

            #expect(detail.contains("<legend>Old secret</legend>"))
            #expect(detail.contains(#"value="0s"> Stops working immediately"#))
            #expect(detail.contains(#"value="1h" checked> Keeps working for 1 hour"#))
            #expect(!detail.contains("> now<"))
        }
    }

    // MARK: Ending the grace

    @Test func endingTheGraceRefusesTheOldSecretFromTheNextRequestAndIsAudited() async throws {
        try await withKey { app, browser, api, key async throws in
            let oldToken = try #require(key.token)
            let rotated = try await api.post("/api/v1/keys/\(key.id)/rotate", ["grace": "24h"]).json
            let newToken = try #require(rotated["token"]?.string)
            let asOld = APIClient(token: oldToken, client: browser.client)
            #expect(try await asOld.get("/api/v1/whoami").status == .ok)  // in grace, and now proven in the cache
            let detail = try await browser.get("/keys/\(key.id)").text
            #expect(detail.contains("The old secret keeps working until"))
            #expect(detail.contains(#"action="/keys/\#(key.id)/end-grace""#))

            let ended = try await browser.submit("/keys/\(key.id)/end-grace", [])

            #expect(ended.status == .seeOther)
            #expect(try await asOld.get("/api/v1/whoami").status == .unauthorized)
            #expect(try await APIClient(token: newToken, client: browser.client).get("/api/v1/whoami").status == .ok)
            #expect(try await auditActions(app, key.id).first == .keyGraceEnded)
            let after = try await browser.get("/keys/\(key.id)").text
            #expect(!after.contains("The old secret keeps working until"))
        }
    }

    @Test func endingTheGraceWithoutCSRFIsRefusedAndTheOldSecretKeepsWorking() async throws {
        try await withKey { app, browser, api, key async throws in
            try await api.post("/api/v1/keys/\(key.id)/rotate", ["grace": "1h"])
            let before = try await app.database.key(id: key.id)

            let response = try await browser.submit("/keys/\(key.id)/end-grace", [], csrf: false)

            #expect(response.status == .forbidden)
            #expect(try await app.database.key(id: key.id) == before)
            #expect(
                try await APIClient(token: try #require(key.token), client: browser.client).get("/api/v1/whoami").status == .ok)
        }
    }

    @Test func endingAGraceThatIsNotRunningIsAnErrorFlashAndWritesNothing() async throws {
        try await withKey { app, browser, _, key async throws in
            let auditBefore = try await auditActions(app, key.id)

            let response = try await browser.submit("/keys/\(key.id)/end-grace", [])

            #expect(response.headers[.location] == "/keys/\(key.id)")
            #expect(try await browser.get("/keys/\(key.id)").text.contains("No old secret is in its grace period any more."))
            #expect(try await auditActions(app, key.id) == auditBefore)
        }
    }

    // MARK: Usage and where it was used

    @Test func theDetailPageShowsOutcomesAndWhereTheKeyWasUsed() async throws {
        try await withKey(#"{"scopes": ["orders:read"], "rateLimit": {"limit": 2, "window": "minute"}}"#) {
            _, browser, _, key async throws in
            let token = try #require(key.token)
            let asKey = APIClient(token: token, client: browser.client)
            let project = try #require(KeyProjects.project(ofToken: token))
            #expect(try await asKey.get("/api/v1/auth?project=\(project)&scope=orders:read").status == .ok)
            #expect(try await asKey.get("/api/v1/auth?project=\(project)&scope=orders:write").status == .forbidden)
            #expect(try await asKey.get("/api/v1/whoami").status == .ok)
            #expect(try await asKey.get("/api/v1/whoami").status == .tooManyRequests)

            let detail = try await browser.get("/keys/\(key.id)").text

            #expect(detail.contains("Valid <strong>2</strong>"))
            #expect(detail.contains("Refused <strong>1</strong>"))
            #expect(detail.contains("Rate-limited <strong>1</strong>"))
            #expect(detail.contains("Forward auth"))
            #expect(detail.contains(#"<span class="badge badge-scope">orders:write</span>"#))
            #expect(detail.contains("GET /api/v1/whoami"))
            #expect(!detail.contains("No requests yet."))
        }
    }

    @Test func anUnusedKeyShowsHowToTryItInsteadOfAnEmptyChart() async throws {
        try await withKey { _, browser, _, key async throws in
            let detail = try await browser.get("/keys/\(key.id)").text

            #expect(detail.contains("No requests yet."))
            #expect(detail.contains("curl -H &quot;Authorization: Bearer $KEYSMITH_TOKEN&quot; http://"))
            #expect(!detail.contains("<svg"))
        }
    }
}

private func auditActions(_ app: TestApp, _ keyID: String) async throws -> [AuditAction?] {
    try await app.database.auditEntries(workspaceID: try await defaultProject(app).workspaceId, subject: keyID).map(\.auditAction)
}
