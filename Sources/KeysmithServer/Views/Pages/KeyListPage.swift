import Foundation
import KeysmithCore
import KeysmithStore

/// `/keys`: search, filters, sort, the table (cards on phones) and the empty states.
struct KeyListPage: PageModel {
    static let template = "keys/list"

    let layout: Layout
    let rows: [KeySummary]
    let hasRows: Bool
    /// No keys at all: the explanatory empty state instead of "no matches".
    let isFirstRun: Bool
    /// What the search box shows: a pasted token comes back as its key id, so the secret is not shown again.
    let search: String
    /// The search was a whole token or key id, so the list shows that one key.
    let isKeyLookup: Bool
    let isFiltered: Bool
    let environments: [FormOption]
    let statuses: [FormOption]
    let sorts: [FormOption]
    let pagination: Pagination?
    /// The count, said once: "1,204 keys", "1 key matches".
    let resultSummary: String
    let listURL: String
    let newKeyURL: String
    let quickStartURL: String

    init(layout: Layout, page: Page<APIKey>, query: KeyListQuery, now: Date) {
        self.layout = layout
        rows = page.items.map { KeySummary($0, now: now) }
        hasRows = !page.items.isEmpty
        let keyID = query.searchedKeyID
        isKeyLookup = keyID != nil
        search = keyID?.value ?? query.search ?? ""
        isFiltered = query.isSearch || query.environment != nil || query.status != nil
        isFirstRun = page.totalCount == 0 && !isFiltered
        environments = FormOption.list([("", "All environments"), ("live", "Live"), ("sandbox", "Sandbox")]) {
            $0 == (query.environment?.rawValue ?? "")
        }
        statuses = FormOption.list(
            [
                ("", "All statuses"), ("active", "Active"), ("pending", "Pending"), ("disabled", "Disabled"),
                ("expired", "Expired"),
            ]
        ) { $0 == (query.status?.rawValue ?? "") }
        sorts = FormOption.list([("created", "Newest first"), ("name", "Name"), ("last_used", "Recently used")]) {
            $0 == query.sort.rawValue
        }
        // Links repeat the key id, never a pasted token.
        var linked = query
        linked.search = keyID?.value ?? query.search
        pagination =
            page.pageCount > 1 ? Pagination(number: page.number, pageCount: page.pageCount) { Self.url(linked, page: $0) } : nil
        let count = page.totalCount.formatted(.number.locale(Self.locale))
        switch (page.totalCount == 1, isFiltered) {
        case (true, false): resultSummary = "1 key"
        case (true, true): resultSummary = "1 key matches"
        case (false, false): resultSummary = "\(count) keys"
        case (false, true): resultSummary = "\(count) keys match"
        }
        listURL = SiteURL.keys.path
        newKeyURL = SiteURL.newKey.path
        quickStartURL = SiteURL.quickStart.path
    }

    /// A list URL that keeps the search, filters and sort.
    static func url(_ query: KeyListQuery, page: Int) -> String {
        var items: [String] = []
        if let search = query.search, !search.isEmpty { items.append("q=\(search.addingPercentEncodingForQuery())") }
        if let environment = query.environment { items.append("environment=\(environment.rawValue)") }
        if let status = query.status { items.append("status=\(status.rawValue)") }
        if query.sort != .created { items.append("sort=\(query.sort.rawValue)") }
        if page > 1 { items.append("page=\(page)") }
        return items.isEmpty ? SiteURL.keys.path : SiteURL.keys.path + "?" + items.joined(separator: "&")
    }

    /// Thousands separators ("10,000") the same on every server, whatever its locale.
    private static let locale = Locale(identifier: "en_US")
}
