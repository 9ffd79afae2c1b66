/// What an admin key may do through the management API (DESIGN §11's fixed list).
public enum AdminPermission: String, CaseIterable, Codable, Sendable, Comparable {
    case keysRead = "keys:read"
    case keysWrite = "keys:write"
    case projectsRead = "projects:read"
    case projectsWrite = "projects:write"
    case membersRead = "members:read"
    case auditRead = "audit:read"

    public static func < (lhs: AdminPermission, rhs: AdminPermission) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Parses a list, naming every unknown entry; at least one permission is required.
    public static func parse(_ texts: [String]) -> Result<Set<AdminPermission>, FieldMessage> {
        var permissions: Set<AdminPermission> = []
        var unknown: [String] = []
        for text in texts {
            let trimmed = text.trimmingWhitespace()
            guard !trimmed.isEmpty else { continue }
            if let permission = AdminPermission(rawValue: trimmed) {
                permissions.insert(permission)
            } else {
                unknown.append(trimmed)
            }
        }
        guard unknown.isEmpty else {
            let known = allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(
                FieldMessage("Unknown permission \(unknown.map { "“\($0)”" }.joined(separator: ", ")); use \(known)."))
        }
        guard !permissions.isEmpty else { return .failure("Choose at least one permission.") }
        return .success(permissions)
    }
}
