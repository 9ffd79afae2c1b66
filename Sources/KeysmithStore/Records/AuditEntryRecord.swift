import Foundation
import KeysmithCore

/// One line of the audit log: what happened, to what, in which workspace, by whom, when, from where. Never holds a
/// secret. `accountId` is the user the entry concerns (the actor for a user's change; the workspace's creator for
/// an admin key's); `workspaceId` is nil for a user's own events (sign-in, password).
public struct AuditEntryRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var accountId: Int64
    public var workspaceId: WorkspaceID?
    public var actorType: String
    public var actorId: String?
    public var actorName: String?
    public var action: String
    public var subject: String?
    public var detail: String?
    public var ip: String?
    public var userAgent: String?
    public var createdAt: Date

    public init(accountId: Int64, workspaceId: WorkspaceID?, event: AuditEvent, origin: RequestOrigin, now: Date) {
        self.accountId = accountId
        self.workspaceId = workspaceId
        self.actorType = origin.actor.kind
        self.actorId = origin.actor.id
        self.actorName = origin.actor.id == nil ? nil : origin.actor.label
        self.action = event.action.rawValue
        self.subject = event.subject
        self.detail = event.detail
        self.ip = origin.ip
        self.userAgent = origin.userAgent
        self.createdAt = now
    }

    /// An entry as a store read it back.
    public init(
        id: Int64, accountId: Int64, workspaceId: WorkspaceID?, actorType: String, actorId: String?, actorName: String?,
        action: String, subject: String?, detail: String?, ip: String?, userAgent: String?, createdAt: Date
    ) {
        self.id = id
        self.accountId = accountId
        self.workspaceId = workspaceId
        self.actorType = actorType
        self.actorId = actorId
        self.actorName = actorName
        self.action = action
        self.subject = subject
        self.detail = detail
        self.ip = ip
        self.userAgent = userAgent
        self.createdAt = createdAt
    }

    public var actor: AuditActor { AuditActor(kind: actorType, id: actorId, label: actorName) }

    /// The action as the domain knows it; nil only for an action a newer version wrote.
    public var auditAction: AuditAction? { AuditAction(rawValue: action) }
}
