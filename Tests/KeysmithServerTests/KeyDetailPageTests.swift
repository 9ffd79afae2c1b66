import Foundation
import KeysmithCore
import KeysmithStore
import Testing

@testable import KeysmithServer

/// The key detail page's model, the usage chart and the confirmation pages, built from domain values without HTTP
/// (STYLE §2b).
struct KeyDetailPageTests {
    private let layout = Layout(title: "Key", csrfToken: "csrf", email: "ann@example.com", flash: nil)
    private let origin = "http://keys.example.com"

    private func days(_ outcomes: [UsageTally.Outcomes]) -> [DailyUsage] {
        outcomes.enumerated().map { index, outcome in
            DailyUsage(day: String(format: "2027-01-%02d", index + 1), outcomes: outcome)
        }
    }

    private func page(_ key: APIKey, usage: [DailyUsage] = [], now: Date, canWrite: Bool = true) -> KeyDetailPage {
        KeyDetailPage(
            layout: layout, key: key, usage: usage, gates: [], clients: [], audit: [], quotaLeft: nil, canWrite: canWrite,
            origin: origin, now: now)
    }

    // MARK: Chart

    @Test func eachDaysBarStacksValidRefusedAndRateLimitedWithATitle() {
        let chart = UsageChart(days([.init(valid: 6, refused: 3, rateLimited: 1), .init()]))

        #expect(chart.svg.contains(#"<rect class="valid" x="15" y="40" width="120" height="60"/>"#))
        #expect(chart.svg.contains(#"<rect class="refused" x="15" y="10" width="120" height="30"/>"#))
        #expect(chart.svg.contains(#"<rect class="limited" x="15" y="0" width="120" height="10"/>"#))
        #expect(chart.svg.contains("<title>1 Jan: 6 valid, 3 refused, 1 rate-limited</title>"))
        #expect(chart.svg.contains("<title>2 Jan: 0 valid, 0 refused, 0 rate-limited</title>"))
        #expect(chart.svg.contains(#"<rect class="zero""#))
    }

    @Test func axisLabelsAreHTMLNotTextDrawnOverTheBars() {
        let chart = UsageChart(days(Array(repeating: .init(valid: 1), count: 29) + [.init(valid: 40)]))

        #expect(!chart.svg.contains("<text"))
        #expect(!chart.svg.contains("max"))
        #expect(chart.peak == "40")
        #expect((chart.firstDay, chart.middleDay, chart.lastDay) == ("1 Jan", "16 Jan", "30 Jan"))
    }

    @Test func numbersHaveThousandsSeparators() {
        let chart = UsageChart(days([.init(valid: 1_234_567, refused: 12_345, rateLimited: 999), .init(valid: 1_000)]))

        #expect(chart.peak == "1,247,911")
        #expect(chart.legend.map(\.total) == ["1,235,567", "12,345", "999"])
        #expect(chart.days.first?.valid == "1,234,567")
        #expect(
            chart.summary.hasPrefix("1,248,911 requests in the last 2 days: 1,235,567 valid, 12,345 refused, 999 rate-limited."))
        #expect(chart.svg.contains("1 Jan: 1,234,567 valid, 12,345 refused, 999 rate-limited"))
        #expect([0.grouped, 999.grouped, 1_000.grouped, (-12_345).grouped] == ["0", "999", "1,000", "-12,345"])
    }

    @Test func anUnusedKeyGetsAnEmptyStateWithTheCurlLineNotAChart() async throws {
        let path = try await TestHotPath()
        let (key, _) = try await path.activeKey()

        let page = page(key, usage: days(Array(repeating: .init(), count: 30)), now: path.clock.now)

        #expect(page.chart.isEmpty)
        #expect(page.chart.svg.isEmpty)
        #expect(page.tryCommand == #"curl -H "Authorization: Bearer $KEYSMITH_TOKEN" http://keys.example.com/api/v1/whoami"#)
        #expect(page.places.isEmpty)
    }

    // MARK: Banners and actions

    @Test func aKeyMidRotationOffersToEndTheGraceAndSaysUntilWhen() async throws {
        let path = try await TestHotPath()
        let (key, _) = try await path.activeKey()
        let (rotated, _) = try await path.writer.rotate(key, grace: .oneHour, customSecret: nil, origin: path.origin)

        let page = page(rotated, now: path.clock.now)

        #expect(page.previousSecretUntil?.relative == "in 1 hour")
        #expect(page.canEndGrace)
        #expect(page.links.endGrace == "/keys/\(key.id.value)/end-grace")
        #expect(!page.isDisabled && !page.isPending)
    }

    @Test func aDisabledKeyHasItsBannerAndEnableButNoDisable() async throws {
        let path = try await TestHotPath()
        let (key, _) = try await path.activeKey()
        let disabled = try await path.writer.disable(key, origin: path.origin)

        let page = page(disabled, now: path.clock.now)

        #expect(page.isDisabled && page.canEnable && !page.canDisable)
        #expect(!page.canEndGrace)
        #expect(page.links.confirmDisable == "/keys/\(key.id.value)/disable")
    }

    @Test func aReaderSeesNoActions() async throws {
        let path = try await TestHotPath()
        let (key, _) = try await path.activeKey()

        let page = page(key, now: path.clock.now, canWrite: false)

        #expect(!page.canWrite && !page.canDisable && !page.canRotate && !page.canEndGrace)
    }

    @Test func theRotateOptionsSayWhatHappensToTheOldSecret() async throws {
        let path = try await TestHotPath()
        let (key, _) = try await path.activeKey()

        let page = page(key, now: path.clock.now)

        #expect(
            page.graceOptions.map(\.label) == [
                "Stops working immediately", "Keeps working for 1 hour", "Keeps working for 24 hours", "Keeps working for 7 days",
            ])
        #expect(page.graceOptions.first { $0.selected }?.value == "1h")
    }

    // MARK: Where it was used

    @Test func whereItWasUsedNamesTheGateItsScopeAndTheCatchAllAddresses() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let places = KeyUsagePlaces(
            gates: [
                GateUsage(gate: .forwardAuth, scope: "orders:read", count: 12_000, lastSeen: now.addingTimeInterval(-120)),
                GateUsage(gate: .verify, scope: "", count: 3, lastSeen: now),
                GateUsage(gate: .forwardAuth, scope: UsageTally.otherScope, count: 1, lastSeen: now),
            ],
            clients: [ClientUsage(ip: "203.0.113.7", count: 5, lastSeen: now), ClientUsage(ip: "", count: 2, lastSeen: now)],
            now: now)

        #expect(places.gates.map(\.gate) == ["Forward auth", "Verify", "Forward auth"])
        #expect(places.gates.map(\.endpoint) == ["GET /api/v1/auth", "POST /api/v1/keys/verify", "GET /api/v1/auth"])
        #expect(places.gates.map(\.scope) == ["orders:read", nil, "other scopes"])
        #expect(places.gates.first?.count == "12,000")
        #expect(places.gates.first?.lastSeen.relative == "2 minutes ago")
        #expect(places.clients.map(\.ip) == ["203.0.113.7", nil])
    }

    // MARK: Confirmation pages

    @Test func rotateNowConfirmationPostsNoGraceAndConfirmAndSaysTheOldSecretStops() async throws {
        let path = try await TestHotPath()
        let (key, _) = try await path.activeKey(KeyDraft(name: "Billing"))

        let page = ConfirmKeyActionPage(.rotateNow, key: key, layout: layout, now: path.clock.now)

        #expect(page.heading == "Rotate “Billing” with no grace period?")
        #expect(page.actionURL == "/keys/\(key.id.value)/rotate")
        #expect(page.fields.map { "\($0.name)=\($0.value)" } == ["grace=0s", "confirm=yes"])
        #expect(page.consequences.contains { $0.contains("stops working immediately") })
        #expect(page.consequences.contains("It has not been used yet."))
        #expect(!page.asksForCustomSecret)
    }

    @Test func disableConfirmationSaysItCanBeUndone() async throws {
        let path = try await TestHotPath()
        let (key, _) = try await path.activeKey(KeyDraft(name: "Billing"))

        let page = ConfirmKeyActionPage(.disable, key: key, layout: layout, now: path.clock.now)

        #expect(page.actionURL == "/keys/\(key.id.value)/disable")
        #expect(page.fields.isEmpty)
        #expect(page.consequences.contains { $0.contains("enable it again at any time") })
    }
}

@Suite struct KeyDetailSyncStatusTests {
    @Test(arguments: [
        (KeySyncStatus(changedAt: Date(), liveNodes: 3, nodesBehind: 0), "Reached all 3 nodes", true),
        (KeySyncStatus(changedAt: Date(), liveNodes: 3, nodesBehind: 1), "Not yet on 1 of 3 nodes", false),
        (KeySyncStatus(changedAt: Date(), liveNodes: 1, nodesBehind: 0), "Reached the only live node", true),
    ])
    func theSyncStatusSaysWhetherTheLastChangeReachedEveryLiveNode(status: KeySyncStatus, line: String, synced: Bool) {
        #expect(KeyDetailPage.syncLine(status) == line)
        #expect(status.hasReachedEveryNode == synced)
    }
}
