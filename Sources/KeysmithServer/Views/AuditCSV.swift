import Foundation
import KeysmithCore
import KeysmithStore

/// The audit log as CSV (RFC 4180): one header row, then one row per entry, newest first. Cells a spreadsheet would
/// run as a formula (starting with = + - @, a tab or a carriage return) get a leading apostrophe, so an entry's
/// text — a key name, a user agent — can never execute in the program that opens the export.
enum AuditCSV {
    static let header = [
        "time", "event", "action", "actor_type", "actor", "actor_id", "object_id", "object", "detail", "ip", "user_agent",
    ]

    static func document(_ entries: [AuditEntryRecord], subjects: AuditSubjects, workspace: (id: String, name: String)) -> String
    {
        var lines = [line(header)]
        for entry in entries {
            let actor = entry.actor
            let object = entry.subject == nil ? nil : AuditPage.objectLink(entry, subjects: subjects, workspace: workspace)
            lines.append(
                line([
                    RFC3339.string(from: entry.createdAt), entry.auditAction?.summary ?? entry.action, entry.action, actor.kind,
                    actor.label, actor.id ?? "", entry.subject ?? "", object?.label ?? "",
                    entry.detail ?? "", entry.ip ?? "", entry.userAgent ?? "",
                ]))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func line(_ cells: [String]) -> String {
        cells.map(cell).joined(separator: ",")
    }

    /// One cell: defused when it could start a formula, quoted when it holds a comma, quote or line break.
    static func cell(_ text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            value = "'" + value
        }
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard value.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
