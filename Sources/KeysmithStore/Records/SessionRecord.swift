import Foundation
import KeysmithCore

/// A signed-in browser. `id` is the SHA-256 of the cookie value, so a leaked database cannot sign anyone in.
public struct SessionRecord: Codable, Sendable, Equatable {
    public var id: String
    public var accountId: Int64
    public var csrfToken: String
    public var createdAt: Date
    public var lastSeenAt: Date
    public var expiresAt: Date
    public var ip: String?
    public var userAgent: String?
    /// The console's current workspace and project; nil until the user switches (then: their personal workspace).
    public var workspaceId: WorkspaceID?
    public var projectId: ProjectID?

    public init(
        id: String, accountId: Int64, csrfToken: String, createdAt: Date, expiresAt: Date, ip: String?, userAgent: String?
    ) {
        self.id = id
        self.accountId = accountId
        self.csrfToken = csrfToken
        self.createdAt = createdAt
        self.lastSeenAt = createdAt
        self.expiresAt = expiresAt
        self.ip = ip
        self.userAgent = userAgent
        self.workspaceId = nil
        self.projectId = nil
    }
}
