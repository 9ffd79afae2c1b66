import Foundation
import KeysmithCore

/// A workspace: the tenant members, projects, admin keys and the audit log belong to.
public struct WorkspaceRecord: Codable, Sendable, Equatable {
    public var id: WorkspaceID
    public var name: String
    /// Set for the workspace a user got at sign-up; their sessions start there.
    public var personalAccountId: Int64?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: WorkspaceID, name: String, personalAccountId: Int64?, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.personalAccountId = personalAccountId
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A user's place in a workspace.
public struct MemberRecord: Codable, Sendable, Equatable {
    public var workspaceId: WorkspaceID
    public var accountId: Int64
    public var role: Role
    public var joinedAt: Date

    public init(workspaceId: WorkspaceID, accountId: Int64, role: Role, joinedAt: Date) {
        self.workspaceId = workspaceId
        self.accountId = accountId
        self.role = role
        self.joinedAt = joinedAt
    }
}

/// A keyspace inside a workspace: its own key prefix, its keys, its gates.
public struct ProjectRecord: Codable, Sendable, Equatable {
    public var id: ProjectID
    public var workspaceId: WorkspaceID
    public var name: String
    public var keyPrefix: String
    public var description: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ProjectID, workspaceId: WorkspaceID, name: String, keyPrefix: String, description: String, createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.workspaceId = workspaceId
        self.name = name
        self.keyPrefix = keyPrefix
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var prefix: KeyPrefix { KeyPrefix(unchecked: keyPrefix) }

    /// What `spec` would change, as the audit entry names it ("name A → B", "prefix ks → pay", "description");
    /// empty when nothing would.
    public func changes(to spec: ProjectSpec) -> [String] {
        var changes: [String] = []
        if name != spec.name { changes.append("name \(name) → \(spec.name)") }
        if keyPrefix != spec.keyPrefix.value { changes.append("prefix \(keyPrefix) → \(spec.keyPrefix.value)") }
        if description != spec.description { changes.append("description") }
        return changes
    }

    public mutating func apply(_ spec: ProjectSpec, now: Date) {
        (name, keyPrefix, description) = (spec.name, spec.keyPrefix.value, spec.description)
        updatedAt = now
    }
}

/// A pending invitation: the link's token exists only as its SHA-256.
public struct InviteRecord: Codable, Sendable, Equatable {
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
}

/// A member as lists show them: who, with which role, since when.
public struct WorkspaceMember: Sendable, Equatable, Decodable {
    public var accountId: Int64
    public var email: String
    public var role: Role
    public var joinedAt: Date

    public init(accountId: Int64, email: String, role: Role, joinedAt: Date) {
        self.accountId = accountId
        self.email = email
        self.role = role
        self.joinedAt = joinedAt
    }
}

/// One of a user's workspaces with their role in it.
public struct Membership: Sendable, Equatable, Decodable {
    public var workspace: WorkspaceRecord
    public var role: Role

    public init(workspace: WorkspaceRecord, role: Role) {
        self.workspace = workspace
        self.role = role
    }
}
