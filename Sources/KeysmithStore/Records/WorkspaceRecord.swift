import Foundation
import GRDB
import KeysmithCore

/// A workspace: the tenant members, projects, admin keys and the audit log belong to.
public struct WorkspaceRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "workspace"

    public var id: WorkspaceID
    public var name: String
    /// Set for the workspace a user got at sign-up; their sessions start there.
    public var personalAccountId: Int64?
    public var createdAt: Date
    public var updatedAt: Date

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let personalAccountId = Column(CodingKeys.personalAccountId)
    }
}

/// A user's place in a workspace.
public struct MemberRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "member"

    public var workspaceId: WorkspaceID
    public var accountId: Int64
    public var role: Role
    public var joinedAt: Date

    public enum Columns {
        public static let workspaceId = Column(CodingKeys.workspaceId)
        public static let accountId = Column(CodingKeys.accountId)
        public static let role = Column(CodingKeys.role)
    }
}

/// A keyspace inside a workspace: its own key prefix, its keys, its gates.
public struct ProjectRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "project"

    public var id: ProjectID
    public var workspaceId: WorkspaceID
    public var name: String
    public var keyPrefix: String
    public var description: String
    public var createdAt: Date
    public var updatedAt: Date

    public var prefix: KeyPrefix { KeyPrefix(unchecked: keyPrefix) }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let workspaceId = Column(CodingKeys.workspaceId)
        public static let name = Column(CodingKeys.name)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
}

/// A pending invitation: the link's token exists only as its SHA-256.
public struct InviteRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "invite"

    public var id: InviteID
    public var workspaceId: WorkspaceID
    public var email: String
    public var role: Role
    public var tokenHash: String
    /// The inviting actor's label (an email, or an admin key's name).
    public var invitedBy: String
    public var createdAt: Date
    public var expiresAt: Date

    public init(
        id: InviteID, workspaceId: WorkspaceID, email: String, role: Role, tokenHash: String, invitedBy: String, createdAt: Date,
        expiresAt: Date
    ) {
        self.id = id
        self.workspaceId = workspaceId
        self.email = email
        self.role = role
        self.tokenHash = tokenHash
        self.invitedBy = invitedBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let workspaceId = Column(CodingKeys.workspaceId)
        public static let tokenHash = Column(CodingKeys.tokenHash)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let email = Column(CodingKeys.email)
    }
}

/// A member as lists show them: who, with which role, since when.
public struct WorkspaceMember: Sendable, Equatable, FetchableRecord, Decodable {
    public var accountId: Int64
    public var email: String
    public var role: Role
    public var joinedAt: Date
}

/// One of a user's workspaces with their role in it.
public struct Membership: Sendable, Equatable, FetchableRecord, Decodable {
    public var workspace: WorkspaceRecord
    public var role: Role
}
