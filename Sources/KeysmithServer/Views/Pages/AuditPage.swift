import Foundation
import KeysmithCore
import KeysmithStore

/// `/audit`: the workspace's audit log, newest first: who (a member, an admin key or the system) did what to which
/// object, narrowed by the GET filter form, with a CSV export of the same selection.
struct AuditPage: PageModel {
    static let template = "audit/list"

    /// A name, linked when the thing it names still exists in the workspace.
    struct Link: Sendable, Equatable {
        let label: String
        let url: String?
        /// Secondary text: a key's id, "deleted", "admin key".
        let note: String?
    }

    struct Row: Sendable {
        let at: DisplayDate
        let event: String
        let actor: Link
        let object: Link?
        /// What changed or a short detail; nil when it would only repeat the object's name.
        let change: String?
        let ip: String
        let device: String
        /// The raw user agent, for the device's hover title.
        let userAgent: String
    }

    /// An `<option>`; `options` non-empty makes it an `<optgroup>`.
    struct Option: Sendable {
        let value: String
        let label: String
        let selected: Bool
        let options: [Option]
        let isGroup: Bool
    }

    /// One line of the error summary, linking to its field.
    struct FieldError: Sendable, Equatable {
        let id: String
        let message: String
    }

    struct KeyChoice: Sendable {
        let id: String
        let name: String
    }

    let layout: Layout
    let rows: [Row]
    let hasRows: Bool
    let pagination: Pagination?
    let filter: AuditFilter
    let isFiltered: Bool
    let events: [Option]
    let keyChoices: [KeyChoice]
    let errors: [String: String]
    /// The same messages in the form's order, for the summary.
    let errorList: [FieldError]
    let hasErrors: Bool
    /// "3 entries" for the current selection.
    let resultSummary: String
    let csvURL: String
    let clearURL: String

    init(
        layout: Layout, filter: AuditFilter, page: Page<AuditEntryRecord>?, subjects: AuditSubjects,
        workspace: (id: String, name: String), keyChoices: [KeyChoice], now: Date
    ) {
        self.layout = layout
        self.filter = filter
        self.isFiltered = filter.isFiltered
        self.errors = filter.errors
        self.hasErrors = !filter.errors.isEmpty
        self.errorList = ["key", "event", "from", "to"].compactMap { field in
            filter.errors[field].map { FieldError(id: "filter-\(field)", message: $0) }
        }
        self.keyChoices = keyChoices
        let items = page?.items ?? []
        self.rows = items.map { Self.row($0, subjects: subjects, workspace: workspace, now: now) }
        self.hasRows = !rows.isEmpty
        let total = page?.totalCount ?? 0
        let count = total == 1 ? "1 entry" : "\(KeyEditSummary.grouped(total)) entries"
        self.resultSummary = filter.isFiltered ? "\(count) \(total == 1 ? "matches" : "match") these filters" : count
        if let page, page.pageCount > 1 {
            self.pagination = Pagination(
                number: page.number, pageCount: page.pageCount, totalCount: page.totalCount, noun: ("entry", "entries")
            ) { filter.url(page: $0) }
        } else {
            self.pagination = nil
        }
        self.csvURL = filter.csvURL
        self.clearURL = SiteURL.audit(page: 1).path
        self.events = Self.eventOptions(selected: filter.event)
    }

    /// "Any event", then per category "All … events" and each action.
    static func eventOptions(selected: String) -> [Option] {
        let any = Option(value: "", label: "Any event", selected: selected.isEmpty, options: [], isGroup: false)
        let groups = AuditFilter.categories.map { category in
            let actions = AuditFilter.workspaceActions.filter { AuditFilter.category(of: $0) == category.value }
            let all = Option(
                value: category.value, label: "All \(category.label.lowercased()) events", selected: selected == category.value,
                options: [], isGroup: false)
            let each = actions.map {
                Option(value: $0.rawValue, label: $0.summary, selected: selected == $0.rawValue, options: [], isGroup: false)
            }
            return Option(value: "", label: category.label, selected: false, options: [all] + each, isGroup: true)
        }
        return [any] + groups
    }

    static func row(
        _ entry: AuditEntryRecord, subjects: AuditSubjects, workspace: (id: String, name: String), now: Date
    ) -> Row {
        let object = objectLink(entry, subjects: subjects, workspace: workspace)
        var change = entry.detail.flatMap { $0.isEmpty ? nil : $0 }
        if let text = change, text == object?.label { change = nil }
        if let email = object?.label, entry.auditAction.map(AuditFilter.category(of:)) == "member", let text = change,
            text.hasPrefix(email)
        {
            let rest = text.dropFirst(email.count).trimmingCharacters(in: CharacterSet(charactersIn: ": "))
            change = rest.isEmpty ? nil : rest
        }
        return Row(
            at: DisplayDate(entry.createdAt, now: now), event: entry.auditAction?.summary ?? entry.action,
            actor: actorLink(entry.actor, subjects: subjects), object: object, change: change, ip: entry.ip ?? "—",
            device: UserAgentSummary.describe(entry.userAgent), userAgent: entry.userAgent ?? "")
    }

    /// Who acted: a member by email, an admin key by name (linked while it exists), or the system — never the user
    /// agent, which says only which program sent the request.
    static func actorLink(_ actor: AuditActor, subjects: AuditSubjects) -> Link {
        switch actor {
        case .user(_, let email):
            return Link(label: email.isEmpty ? "Deleted user" : email, url: nil, note: nil)
        case .adminKey(let id, let name):
            let exists = subjects.adminKeys[id] != nil
            return Link(
                label: name.isEmpty ? id : name, url: exists ? SiteURL.adminKeys.path : nil,
                note: exists ? "admin key" : "deleted admin key")
        case .system:
            return Link(label: "System", url: nil, note: nil)
        }
    }

    /// The object acted on, by the action's kind: keys and projects link to their pages while they exist; a deleted
    /// one keeps its name as plain text.
    static func objectLink(_ entry: AuditEntryRecord, subjects: AuditSubjects, workspace: (id: String, name: String)) -> Link? {
        guard let subject = entry.subject, let action = entry.auditAction else { return nil }
        switch AuditFilter.category(of: action) {
        case "key":
            if let name = subjects.keys[subject] {
                return Link(label: name, url: SiteURL.key(subject).path, note: subject)
            }
            let name = subjects.deletedKeys[subject] ?? (action == .keyDeleted ? entry.detail : nil)
            return Link(label: name ?? subject, url: nil, note: name == nil ? "deleted" : "\(subject) · deleted")
        case "project":
            if let name = subjects.projects[subject] {
                return Link(label: name, url: SiteURL.project(subject).path, note: nil)
            }
            return Link(label: action == .projectDeleted ? (entry.detail ?? subject) : subject, url: nil, note: "deleted")
        case "admin_key":
            if let name = subjects.adminKeys[subject] {
                return Link(label: name, url: SiteURL.adminKeys.path, note: nil)
            }
            return Link(label: entry.detail ?? subject, url: nil, note: "deleted")
        case "member":
            // Member details start with the email: "ann@example.com as viewer", "ann@example.com: viewer → admin".
            let email = entry.detail.map { String($0.prefix { $0 != " " && $0 != ":" }) } ?? subject
            return Link(label: email, url: SiteURL.members.path, note: nil)
        case "workspace":
            let isCurrent = subject == workspace.id
            return Link(label: isCurrent ? workspace.name : subject, url: isCurrent ? SiteURL.workspace.path : nil, note: nil)
        default:
            return Link(label: subject, url: nil, note: nil)
        }
    }
}
