import Foundation

/// What an edit changed, as the audit log records it: "name: a → b; rate limit: none → 600/min". Secret-free by
/// construction: it reads only the editable settings, never `secrets`. Long free text is shortened, so one entry
/// stays one line.
public struct KeyEditSummary: Sendable, Equatable {
    /// One changed setting, in the order the edit form shows them.
    public struct Change: Sendable, Equatable {
        public let field: String
        public let text: String
    }

    public let changes: [Change]

    /// The longest value quoted in full; longer names and descriptions end in "…".
    static let maxValueLength = 40

    public init(before: APIKey, after: APIKey) {
        var changes: [Change] = []
        func note(_ field: String, _ old: String, _ new: String) {
            if old != new { changes.append(Change(field: field, text: "\(old) → \(new)")) }
        }
        /// Free text: compared in full, shown shortened; "edited" when the shortened forms look the same.
        func noteText(_ field: String, _ old: String, _ new: String, shown: (String) -> String) {
            guard old != new else { return }
            let (oldShown, newShown) = (shown(old), shown(new))
            changes.append(Change(field: field, text: oldShown == newShown ? "edited" : "\(oldShown) → \(newShown)"))
        }
        noteText("name", before.name, after.name, shown: Self.shortened)
        noteText("description", before.description, after.description, shown: Self.quoted)
        note("owner", before.ownerType.rawValue, after.ownerType.rawValue)
        if let text = Self.setChange(before.scopes.scopes.map(\.value), after.scopes.scopes.map(\.value)) {
            changes.append(Change(field: "scopes", text: text))
        }
        note("expires", Self.day(before.expiresAt), Self.day(after.expiresAt))
        if let text = Self.setChange(before.ipAllowlist.entries, after.ipAllowlist.entries) {
            changes.append(Change(field: "IP allowlist", text: text))
        }
        note("rate limit", Self.rateLimit(before.rateLimit), Self.rateLimit(after.rateLimit))
        note("quota", Self.quota(before.quota), Self.quota(after.quota))
        if before.responseHeaders != after.responseHeaders {
            let old = before.responseHeaders.map(\.name)
            let new = after.responseHeaders.map(\.name)
            changes.append(Change(field: "response headers", text: Self.setChange(old, new) ?? "values changed"))
        }
        if before.meta != after.meta {
            let keys = Set(before.meta.object.keys).union(after.meta.object.keys)
                .filter { before.meta.object[$0] != after.meta.object[$0] }
            changes.append(Change(field: "metadata", text: keys.sorted().joined(separator: ", ")))
        }
        self.changes = changes
    }

    /// nil when nothing the summary knows of changed.
    public var text: String? {
        changes.isEmpty ? nil : changes.map { "\($0.field): \($0.text)" }.joined(separator: "; ")
    }

    /// "+a +b −c" for what was added and removed, in order; nil when both hold the same entries.
    static func setChange(_ old: [String], _ new: [String]) -> String? {
        let added = new.filter { !old.contains($0) }.map { "+\($0)" }
        let removed = old.filter { !new.contains($0) }.map { "−\($0)" }
        let parts = added + removed
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    static func shortened(_ text: String) -> String {
        text.count > maxValueLength ? String(text.prefix(maxValueLength - 1)) + "…" : text
    }

    static func quoted(_ text: String) -> String {
        text.isEmpty ? "none" : "“\(shortened(text))”"
    }

    static func day(_ date: Date?) -> String {
        guard let date else { return "never" }
        return date.formatted(.iso8601.year().month().day())
    }

    static func rateLimit(_ limit: RateLimit?) -> String {
        guard let limit else { return "none" }
        let unit =
            switch limit.window {
            case .second: "s"
            case .minute: "min"
            case .hour: "h"
            }
        return "\(grouped(limit.limit))/\(unit)"
    }

    static func quota(_ quota: UsageQuota?) -> String {
        guard let quota else { return "none" }
        let count = grouped(quota.remaining)
        return quota.refill == nil ? count : "\(count) monthly"
    }

    /// 100000 → "100,000", the same on every machine whatever its locale.
    public static func grouped(_ number: Int) -> String {
        var digits = String(number.magnitude)
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        groups.insert(Substring(digits), at: 0)
        return (number < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}
