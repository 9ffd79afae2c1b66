import Foundation
import KeysmithCore
import Testing

@Suite struct KeyEditSummaryTests {
    static func key(_ draft: KeyDraft) throws -> APIKey {
        APIKey(
            id: try KeysFixture.keyID, projectID: ProjectID(unchecked: "prj_AAAAAAAAAAAAAAAA"),
            workspaceID: WorkspaceID(unchecked: "ws_0123456789abcdef"), creatorID: 1,
            spec: try draft.validate(now: KeysFixture.now), customSecret: nil, now: KeysFixture.now)
    }

    static func edited(_ key: APIKey, _ draft: KeyDraft) throws -> APIKey {
        var after = key
        after.edit(try draft.validate(now: KeysFixture.now), now: KeysFixture.now)
        return after
    }

    @Test func namesEachChangedSettingWithItsOldAndNewValue() throws {
        let before = try Self.key(
            KeyDraft(name: "billing", scopes: ["orders:read", "invoices:read"], ipAllowlist: ["10.0.0.0/8"]))
        let after = try Self.edited(
            before,
            KeyDraft(
                name: "billing-prod", scopes: ["orders:read", "orders:write"], ipAllowlist: ["10.0.0.0/8", "192.0.2.7"],
                rateLimit: "600", rateLimitWindow: "minute", quota: "100000", quotaRefill: "monthly"))

        let summary = KeyEditSummary(before: before, after: after)

        #expect(
            summary.text
                == "name: billing → billing-prod; scopes: +orders:write −invoices:read; IP allowlist: +192.0.2.7; "
                + "rate limit: none → 600/min; quota: none → 100,000 monthly")
    }

    @Test func anEditThatChangesNothingHasNoSummary() throws {
        let before = try Self.key(KeyDraft(name: "billing", rateLimit: "5", rateLimitWindow: "second"))
        let after = try Self.edited(before, KeyDraft(name: "billing", rateLimit: "5", rateLimitWindow: "second"))

        #expect(KeyEditSummary(before: before, after: after).text == nil)
    }

    @Test func longTextIsShortenedAndMetadataNamesOnlyItsChangedKeys() throws {
        let long = String(repeating: "a", count: 100)
        let before = try Self.key(KeyDraft(name: "n", description: "", meta: #"{"team": "payments", "ticket": "PAY-1"}"#))
        let after = try Self.edited(
            before, KeyDraft(name: "n", description: long, meta: #"{"team": "payments", "ticket": "PAY-2", "tier": 3}"#))

        let text = try #require(KeyEditSummary(before: before, after: after).text)

        #expect(text == "description: none → “\(String(repeating: "a", count: 39))…”; metadata: ticket, tier")
        #expect(!text.contains("PAY-2"))
    }

    @Test func aChangeAfterTheShortenedPartStillCounts() throws {
        let text = String(repeating: "b", count: 60)
        let before = try Self.key(KeyDraft(name: "n", description: text))
        let after = try Self.edited(before, KeyDraft(name: "n", description: text + " (on call)"))

        #expect(KeyEditSummary(before: before, after: after).text == "description: edited")
    }

    @Test func expiryAndRemovedLimitsReadAsDaysAndNone() throws {
        let before = try Self.key(
            KeyDraft(name: "n", expiresAt: "2026-03-01T00:00:00Z", rateLimit: "1000000", rateLimitWindow: "hour"))
        let after = try Self.edited(before, KeyDraft(name: "n"))

        #expect(
            KeyEditSummary(before: before, after: after).text == "expires: 2026-03-01 → never; rate limit: 1,000,000/h → none")
    }
}
