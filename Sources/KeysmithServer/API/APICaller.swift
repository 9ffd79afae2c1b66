import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore

/// Who is calling the management API, in which workspace: a signed-in member with their role, or an admin key with
/// its grant. Every route states what it needs; `require` answers 403 `FORBIDDEN` otherwise.
struct APICaller: Sendable {
    enum Credential: Sendable {
        case member(SignedInAccount, Role)
        case adminKey(AdminKey)
    }

    /// What a route needs, mapped onto DESIGN §11's role table and the admin-key permissions.
    enum Need: Sendable {
        case readKeys, writeKeys, readProjects, writeProjects, readMembers, writeMembers, readAudit, manageAdminKeys
        case manageWorkspace
    }

    let workspace: WorkspaceRecord
    let credential: Credential
    let origin: RequestOrigin

    var workspaceID: WorkspaceID { workspace.id }

    // Stored, not derived from `credential` on each use: Swift 6.3.1's optimizer (CopyPropagation) crashed in
    // release builds on routes that read such derived properties of this enum after an `await`.

    /// The member's role; nil for an admin key.
    let role: Role?
    let adminKey: AdminKey?
    /// The user behind a session call; nil for an admin key.
    let userID: Int64?

    init(workspace: WorkspaceRecord, credential: Credential, origin: RequestOrigin) {
        self.workspace = workspace
        self.credential = credential
        self.origin = origin
        switch credential {
        case .member(let account, let role): (self.role, self.adminKey, self.userID) = (role, nil, account.accountId)
        case .adminKey(let key): (self.role, self.adminKey, self.userID) = (nil, key, nil)
        }
    }

    func require(_ need: Need) throws {
        switch credential {
        case .member(_, let role):
            guard role.allows(Self.action(for: need)) else {
                throw HTTPProblem(
                    .forbidden, "FORBIDDEN", "Your role (\(role.rawValue)) does not allow this in \(workspace.name)")
            }
        case .adminKey(let key):
            guard let permission = Self.permission(for: need) else {
                if need == .manageAdminKeys { return }  // any admin key, within the subset rule
                throw HTTPProblem(.forbidden, "FORBIDDEN", "Admin keys cannot do this; sign in to the console")
            }
            guard key.grant.allows(permission) else {
                throw HTTPProblem(.forbidden, "FORBIDDEN", "This admin key lacks the \(permission.rawValue) permission")
            }
        }
    }

    /// Whether the caller may reach `project` at all (an admin key may be limited to some projects).
    func reaches(_ project: ProjectID) -> Bool {
        adminKey?.grant.reaches(project) ?? true
    }

    private static func action(for need: Need) -> WorkspaceAction {
        switch need {
        case .readKeys, .readProjects, .readMembers, .readAudit: .view
        case .writeKeys: .writeKeys
        case .writeProjects: .manageProjects
        case .writeMembers: .manageMembers
        case .manageAdminKeys: .manageAdminKeys
        case .manageWorkspace: .manageWorkspace
        }
    }

    private static func permission(for need: Need) -> AdminPermission? {
        switch need {
        case .readKeys: .keysRead
        case .writeKeys: .keysWrite
        case .readProjects: .projectsRead
        case .writeProjects: .projectsWrite
        case .readMembers: .membersRead
        case .readAudit: .auditRead
        case .writeMembers, .manageAdminKeys, .manageWorkspace: nil
        }
    }
}
