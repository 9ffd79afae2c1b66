import GRDB
import KeysmithStore

// The store's records as SQLite rows: table names, the columns queries filter on, and how an insert learns its id.
// The records themselves live in KeysmithStore, which every store shares and which knows nothing of GRDB.

extension AccountRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "account"

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    public enum Columns {
        public static let email = Column("email")
    }
}

extension SessionRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "session"

    static let account = belongsTo(AccountRecord.self)

    public enum Columns {
        public static let accountId = Column("accountId")
        public static let lastSeenAt = Column("lastSeenAt")
        public static let expiresAt = Column("expiresAt")
    }
}

extension SignedInSession: FetchableRecord {}

extension AuditEntryRecord: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "auditEntry"

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    public enum Columns {
        public static let id = Column("id")
        public static let accountId = Column("accountId")
        public static let workspaceId = Column("workspaceId")
        public static let subject = Column("subject")
        public static let action = Column("action")
        public static let createdAt = Column("createdAt")
    }
}

extension WorkspaceRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "workspace"

    public enum Columns {
        public static let id = Column("id")
        public static let personalAccountId = Column("personalAccountId")
    }
}

extension MemberRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "member"

    public enum Columns {
        public static let workspaceId = Column("workspaceId")
        public static let accountId = Column("accountId")
        public static let role = Column("role")
    }
}

extension ProjectRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "project"

    public enum Columns {
        public static let id = Column("id")
        public static let workspaceId = Column("workspaceId")
        public static let name = Column("name")
        public static let createdAt = Column("createdAt")
    }
}

extension InviteRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "invite"

    public enum Columns {
        public static let id = Column("id")
        public static let workspaceId = Column("workspaceId")
        public static let tokenHash = Column("tokenHash")
        public static let expiresAt = Column("expiresAt")
        public static let email = Column("email")
    }
}

extension WorkspaceMember: FetchableRecord {}

extension Membership: FetchableRecord {}
