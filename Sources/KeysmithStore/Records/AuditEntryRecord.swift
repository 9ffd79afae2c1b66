import Foundation
import GRDB
import KeysmithCore

/// One line of an account's audit log: what happened, to what, when, from where. Never holds a secret.
public struct AuditEntryRecord: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "auditEntry"

    public var id: Int64?
    public var accountId: Int64
    public var action: String
    public var subject: String?
    public var detail: String?
    public var ip: String?
    public var userAgent: String?
    public var createdAt: Date

    public init(accountId: Int64, event: AuditEvent, origin: RequestOrigin, now: Date) {
        self.accountId = accountId
        self.action = event.action.rawValue
        self.subject = event.subject
        self.detail = event.detail
        self.ip = origin.ip
        self.userAgent = origin.userAgent
        self.createdAt = now
    }

    /// The action as the domain knows it; nil only for an action a newer version wrote.
    public var auditAction: AuditAction? { AuditAction(rawValue: action) }

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    public enum Columns {
        public static let id = Column(CodingKeys.id)
        public static let accountId = Column(CodingKeys.accountId)
    }
}
