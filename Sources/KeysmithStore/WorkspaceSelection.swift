import KeysmithCore

/// Where a signed-in user is: all their workspaces, the current one with their role, its projects, and the current
/// project. What every console page and session API call starts from.
public struct WorkspaceSelection: Sendable, Equatable {
    public let memberships: [Membership]
    public let current: Membership
    public let projects: [ProjectRecord]
    public let project: ProjectRecord

    public init(memberships: [Membership], current: Membership, projects: [ProjectRecord], project: ProjectRecord) {
        self.memberships = memberships
        self.current = current
        self.projects = projects
        self.project = project
    }

    public var workspace: WorkspaceRecord { current.workspace }
    public var role: Role { current.role }
}
