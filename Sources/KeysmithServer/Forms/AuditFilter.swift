import Foundation
import KeysmithCore
import KeysmithStore

/// The audit log's GET filter form (`/audit?key=…&event=…&from=…&to=…&page=…`): what was asked for, as typed, the
/// store query it makes, and a message per field that cannot be used. Links built from it keep every filter.
struct AuditFilter: Sendable, Equatable {
    /// The fields as sent, echoed back into the form.
    let key: String
    let event: String
    let from: String
    let to: String
    let page: Int
    /// Field name → what to fix; the query is nil while there is any.
    let errors: [String: String]
    let query: AuditQuery?

    /// Event categories: the part of an action before its dot (`key` for `key.created`), shown as "All key events".
    static let categories: [(value: String, label: String)] = [
        ("key", "API keys"), ("project", "Projects"), ("member", "Members"), ("admin_key", "Admin keys"),
        ("workspace", "Workspace"),
    ]

    /// The actions a workspace's log holds (a user's own sign-ins and password changes are on their account page).
    static let workspaceActions: [AuditAction] = AuditAction.allCases.filter { action in
        categories.contains { $0.value == category(of: action) }
    }

    static func category(of action: AuditAction) -> String {
        String(action.rawValue.prefix { $0 != "." })
    }

    init(key: String = "", event: String = "", from: String = "", to: String = "", page: Int = 1, pageSize: Int = 50) {
        let key = key.trimmingCharacters(in: .whitespacesAndNewlines)
        let event = event.trimmingCharacters(in: .whitespacesAndNewlines)
        let from = from.trimmingCharacters(in: .whitespacesAndNewlines)
        let to = to.trimmingCharacters(in: .whitespacesAndNewlines)
        (self.key, self.event, self.from, self.to) = (key, event, from, to)
        self.page = min(max(1, page), KeyListQuery.maxPage)

        var errors: [String: String] = [:]
        if key.count > 200 || key.contains(where: { $0.isWhitespace || $0.isNewline }) {
            errors["key"] = "Enter a key id such as ks_live_7Hq2…, without spaces."
        }
        var actions: [String]?
        if !event.isEmpty {
            if Self.categories.contains(where: { $0.value == event }) {
                actions = Self.workspaceActions.filter { Self.category(of: $0) == event }.map(\.rawValue)
            } else if let action = AuditAction(rawValue: event), Self.workspaceActions.contains(action) {
                actions = [action.rawValue]
            } else {
                errors["event"] = "Choose an event from the list."
            }
        }
        let since = Self.day(from)
        let lastDay = Self.day(to)
        if !from.isEmpty, since == nil { errors["from"] = "Enter a start date as YYYY-MM-DD, such as 2026-01-31." }
        if !to.isEmpty, lastDay == nil { errors["to"] = "Enter an end date as YYYY-MM-DD, such as 2026-01-31." }
        if let since, let lastDay, lastDay < since { errors["to"] = "Choose an end date on or after the start date." }
        self.errors = errors
        self.query =
            errors.isEmpty
            ? AuditQuery(
                subject: key.isEmpty ? nil : key, actions: actions, since: since,
                until: lastDay.map { $0.addingTimeInterval(86_400) }, page: page, pageSize: pageSize)
            : nil
    }

    /// From the query string a browser's GET form writes.
    init(_ fields: FormFields, pageSize: Int = 50) {
        self.init(
            key: fields.get("key") ?? "", event: fields.get("event") ?? "", from: fields.get("from") ?? "",
            to: fields.get("to") ?? "", page: fields.get("page").flatMap { Int($0) } ?? 1, pageSize: pageSize)
    }

    /// Whether anything narrows the log.
    var isFiltered: Bool { !key.isEmpty || !event.isEmpty || !from.isEmpty || !to.isEmpty }

    /// The query string for these filters on `page` (none on page 1), `?key=…&page=2`, or "" when there is nothing.
    func queryString(page: Int = 1) -> String {
        var items: [String] = []
        for (name, value) in [("key", key), ("event", event), ("from", from), ("to", to)] where !value.isEmpty {
            items.append("\(name)=\(value.addingPercentEncodingForQuery())")
        }
        if page > 1 { items.append("page=\(page)") }
        return items.isEmpty ? "" : "?" + items.joined(separator: "&")
    }

    /// The log at `page` with these filters.
    func url(page: Int) -> String { SiteURL.audit(page: 1).path + queryString(page: page) }

    /// The CSV export of everything these filters match.
    var csvURL: String { SiteURL.auditCSV.path + queryString() }

    /// Midnight UTC of a `YYYY-MM-DD` day, as `<input type="date">` sends it; nil for anything else.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), year >= 1970
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { return nil }
        return date
    }
}
