import Foundation
import KeysmithCore
import KeysmithStore
import Testing

@testable import KeysmithServer

/// The key list's page model, built from domain values without HTTP (STYLE §2b).
@Suite struct KeyListPageTests {
    static let now = Date(timeIntervalSince1970: 1_780_000_000)

    @Test func rowsCarryWhatTheTableAndTheCardsShow() throws {
        var used = try Self.key(
            "Billing", description: "Charges cards nightly", scopes: ["orders:read", "orders:write", "refunds:write"])
        used.recordUse(at: Self.now.addingTimeInterval(-3 * 3600), ip: "192.0.2.9")
        let pending = try Self.key("Reporting", activate: false)

        let page = KeyListPage(layout: Self.layout, page: Self.page([used, pending]), query: KeyListQuery(), now: Self.now)

        let (row, pendingRow) = (page.rows[0], page.rows[1])
        #expect(row.name == "Billing")
        #expect(row.descriptionLine == "Charges cards nightly")
        #expect(row.id == used.id.value && row.url == "/keys/\(used.id.value)")
        #expect(row.secretTail == "…abcd")
        #expect(row.status == "active" && row.statusLabel == "Active" && !row.isInactive)
        #expect(row.scopes == ["orders:read", "orders:write"] && row.moreScopes == "+1")
        #expect(row.allScopes == "orders:read orders:write refunds:write")
        #expect(row.lastUsed?.relative == "3 hours ago")
        #expect(pendingRow.descriptionLine == nil, "no empty description line")
        #expect(pendingRow.secretTail == nil && pendingRow.statusLabel == "Pending" && pendingRow.lastUsed == nil)
        #expect(page.resultSummary == "2 keys" && !page.isFiltered && !page.isFirstRun && page.pagination == nil)
    }

    @Test func disabledAndExpiredKeysAreMarkedInactive() throws {
        var disabled = try Self.key("Old staging")
        try disabled.disable(now: Self.now)
        var expiring = KeyDraft(name: "Day pass")
        expiring.ttl = "1d"
        let expired = try Self.key(expiring, at: Self.now.addingTimeInterval(-2 * 86_400))

        let rows = KeyListPage(layout: Self.layout, page: Self.page([disabled, expired]), query: KeyListQuery(), now: Self.now)
            .rows

        #expect(rows.map(\.statusLabel) == ["Disabled", "Expired"])
        #expect(rows.allSatisfy { $0.isInactive })
    }

    @Test func aPastedTokenComesBackAsItsKeyIDInTheBoxAndTheLinks() throws {
        let key = try Self.key("Leaked")
        let token = APIKeyToken.generate(for: key.id)
        let query = KeyListQuery(search: token.value, sort: .name, page: 1)

        let page = KeyListPage(
            layout: Self.layout, page: Self.page([key], total: 60, size: 25), query: query, now: Self.now)

        #expect(page.search == key.id.value)
        #expect(page.isKeyLookup && page.isFiltered)
        #expect(page.pagination?.nextURL == "/keys?q=\(key.id.value)&sort=name&page=2")
        #expect(page.resultSummary == "60 keys match")
    }

    @Test func theCountShowsOnceWithThousandsSeparatorsAndTheFirstRunIsNotAFilteredEmptyList() {
        let big = KeyListPage(
            layout: Self.layout, page: Self.page([], total: 10_000, size: 25), query: KeyListQuery(), now: Self.now)
        let none = KeyListPage(layout: Self.layout, page: Self.page([]), query: KeyListQuery(), now: Self.now)
        let noMatch = KeyListPage(layout: Self.layout, page: Self.page([]), query: KeyListQuery(search: "x"), now: Self.now)

        #expect(big.resultSummary == "10,000 keys")
        #expect(big.pagination?.summary == "Page 1 of 400", "no second count beside the pages")
        #expect(none.isFirstRun && none.newKeyURL == "/keys/new" && none.quickStartURL == "/docs/api#quick-start")
        #expect(!noMatch.isFirstRun && noMatch.resultSummary == "0 keys match")
    }

    @Test(
        arguments: [
            (1, nil, "/keys?page=2"), (2, "/keys", "/keys?page=3"), (3, "/keys?page=2", nil), (9, "/keys?page=3", nil),
        ] as [(Int, String?, String?)])
    func paginationLinksOnlyWhereThereIsAPage(number: Int, previous: String?, next: String?) {
        let pagination = Pagination(number: number, pageCount: 3) { KeyListPage.url(KeyListQuery(), page: $0) }

        #expect(pagination.previousURL == previous)
        #expect(pagination.nextURL == next)
        #expect(pagination.summary == "Page \(number) of 3")
    }

    // MARK: Fixtures

    static let layout = Layout(title: "API Keys", csrfToken: "csrf", email: "ann@example.com", flash: nil, section: .keys)

    static func page(_ keys: [APIKey], total: Int? = nil, size: Int = 25) -> Page<APIKey> {
        Page(items: keys, totalCount: total ?? keys.count, number: 1, size: size)
    }

    static func key(
        _ name: String, description: String = "", scopes: [String] = [], activate: Bool = true
    ) throws -> APIKey {
        var draft = KeyDraft(name: name)
        draft.description = description
        draft.scopes = scopes
        return try key(draft, activate: activate)
    }

    static func key(_ draft: KeyDraft, activate: Bool = true, at time: Date = now) throws -> APIKey {
        let spec = try draft.validate(now: time)
        let id = KeyID.generate(prefix: .default, environment: spec.environment)
        var key = APIKey(
            id: id, projectID: ProjectID(unchecked: "prj_AAAAAAAAAAAAAAAA"),
            workspaceID: WorkspaceID(unchecked: "ws_AAAAAAAAAAAAAAAA"), creatorID: nil, spec: spec, customSecret: nil, now: time)
        if activate { try key.activate(with: KeySecrets.Stored(hash: "$argon2id$x", hint: id.hint(secret: "abcd")), now: time) }
        return key
    }
}
