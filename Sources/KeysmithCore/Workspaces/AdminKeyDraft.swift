import Foundation

/// An admin key's fields as typed into the console or sent as JSON, before validation.
public struct AdminKeyDraft: Sendable {
    public var name: String
    public var permissions: [String]
    /// nil: every project of the workspace.
    public var projects: [String]?
    /// An expiry as `ExpiryChoice` reads it (never, a TTL such as 30d, a date or an RFC 3339 time).
    public var expiry: String
    public var ipAllowlist: [String]

    public init(name: String, permissions: [String], projects: [String]?, expiry: String, ipAllowlist: [String]) {
        self.name = name
        self.permissions = permissions
        self.projects = projects
        self.expiry = expiry
        self.ipAllowlist = ipAllowlist
    }

    /// The name and grant, with every problem named by field; `known` are the workspace's projects.
    public func validate(now: Date, known: Set<ProjectID>) throws(WorkspaceError) -> (name: String, grant: AdminKeyGrant) {
        var problems: [String: String] = [:]
        var validName = ""
        switch WorkspaceName.parse(name, what: "a name for the admin key") {
        case .success(let parsed): validName = parsed
        case .failure(let message): problems["name"] = message.text
        }
        var permissionSet: Set<AdminPermission> = []
        switch AdminPermission.parse(permissions) {
        case .success(let parsed): permissionSet = parsed
        case .failure(let message): problems["permissions"] = message.text
        }
        var projectSet: Set<ProjectID>?
        if let projects {
            let ids = projects.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            let unknown = ids.filter { ProjectID($0).map { !known.contains($0) } ?? true }
            if !unknown.isEmpty {
                problems["projects"] = "Not a project of this workspace: \(unknown.joined(separator: ", "))."
            } else if ids.isEmpty {
                problems["projects"] = "List at least one project, or leave the list out for all projects."
            } else {
                projectSet = Set(ids.compactMap(ProjectID.init))
            }
        }
        var expiresAt: Date?
        switch ExpiryChoice.resolve(expiry, now: now) {
        case .success(let date): expiresAt = date
        case .failure(let message): problems["expiresAt"] = message.text
        }
        var allowlist = IPAllowlist.any
        switch IPAllowlist.parse(ipAllowlist) {
        case .success(let parsed): allowlist = parsed
        case .failure(let message): problems["ipAllowlist"] = message.text
        }
        guard problems.isEmpty else { throw .invalid(problems) }
        return (
            validName,
            AdminKeyGrant(permissions: permissionSet, projects: projectSet, expiresAt: expiresAt, ipAllowlist: allowlist)
        )
    }
}
