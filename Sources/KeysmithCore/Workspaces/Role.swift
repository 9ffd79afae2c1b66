/// A member's role in a workspace (DESIGN §11's table). Roles are ordered: each can do what the ones below can.
public enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    case viewer, developer, admin, owner

    /// Whether this role may do `action` in its workspace.
    public func allows(_ action: WorkspaceAction) -> Bool {
        self >= action.minimumRole
    }

    /// Whether a member with this role may give `target` (a member's current role) the role `new`, or remove it
    /// (`new` nil): managing members needs admin, and only owners touch owners.
    public func mayChange(_ target: Role, to new: Role?) -> Bool {
        guard allows(.manageMembers) else { return false }
        if target == .owner || new == .owner { return self == .owner }
        return true
    }

    public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .developer: 1
        case .admin: 2
        case .owner: 3
        }
    }
}

/// What someone does in a workspace, as DESIGN §11's role table names it; admin-key permissions map onto these.
public enum WorkspaceAction: Sendable, CaseIterable {
    /// See projects, keys, usage and the audit log.
    case view
    /// Create, edit, activate, rotate, disable, enable and delete project keys.
    case writeKeys
    /// Create, rename and delete projects.
    case manageProjects
    /// Create, edit and delete admin keys.
    case manageAdminKeys
    /// Invite, remove and change the role of members (owners only by owners).
    case manageMembers
    /// Rename or delete the workspace.
    case manageWorkspace

    var minimumRole: Role {
        switch self {
        case .view: .viewer
        case .writeKeys: .developer
        case .manageProjects, .manageAdminKeys, .manageMembers: .admin
        case .manageWorkspace: .owner
        }
    }
}
