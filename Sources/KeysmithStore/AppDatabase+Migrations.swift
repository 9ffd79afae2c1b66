import GRDB

extension AppDatabase {
    /// The schema's history. A shipped migration is never edited or renamed; new ones are appended by name.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("createAccountSessionAudit") { db in
            try db.create(table: "account") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("email", .text).notNull().unique()
                t.column("passwordHash", .text).notNull()
                t.column("keyPrefix", .text).notNull().defaults(to: "ks")
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "session") { t in
                t.primaryKey("id", .text)  // SHA-256 of the cookie value; the cookie itself is never stored
                t.belongsTo("account", onDelete: .cascade).notNull()
                t.column("csrfToken", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("lastSeenAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("ip", .text)
                t.column("userAgent", .text)
            }
            // Entries outlive what they describe (a deleted key, a deleted account), so accountId is no foreign key.
            try db.create(table: "auditEntry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("accountId", .integer).notNull()
                t.column("action", .text).notNull()
                t.column("subject", .text)
                t.column("detail", .text)
                t.column("ip", .text)
                t.column("userAgent", .text)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(index: "auditEntry_on_accountId_id", on: "auditEntry", columns: ["accountId", "id"])
        }
        return migrator
    }
}
