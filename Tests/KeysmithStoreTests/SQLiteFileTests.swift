import Foundation
import GRDB
import KeysmithSQLite
import Testing

/// What only the SQLite store has: a file, its journal mode and GRDB's migrations. (The store behaviour both
/// stores share is in the other suites, which `make test` runs on each; `BackupTests` is SQLite's too.)
@Suite struct SQLiteFileTests {
    @Test func migrationsBuildTheSchemaOnAnEmptyFileAndAreIdempotent() throws {
        let temporary = try TemporaryDatabase()
        defer { temporary.remove() }

        let database = try temporary.open()
        let tables = try database.reader.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        let journalMode = try database.reader.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        try database.close()
        let reopened = try temporary.open()  // migrating an up-to-date file changes nothing
        try reopened.close()

        #expect(Set(tables).isSuperset(of: ["account", "auditEntry", "grdb_migrations", "session"]))
        #expect(journalMode == "wal")
    }

    @Test func migrationsCreateTheKeyAndUsageTablesOnAFile() throws {
        let temporary = try TemporaryDatabase()
        defer { temporary.remove() }
        let database = try temporary.open()
        defer { try? database.close() }

        let (tables, keyColumns, keyIndexes, usageKeys) = try database.reader.read { db in
            (
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"),
                try db.columns(in: "apiKey").map(\.name),
                try db.indexes(on: "apiKey"),
                try db.foreignKeys(on: "keyUsage")
            )
        }

        #expect(Set(tables).isSuperset(of: ["apiKey", "keyUsage"]))
        #expect(
            Set(keyColumns).isSuperset(of: [
                "id", "projectId", "workspaceId", "creatorId", "name", "description", "environment", "ownerType", "scopes",
                "tokenType", "status",
                "secretHash", "hint", "retiredSecrets", "expiresAt", "ipAllowlist", "rateLimit",
                "quota", "quotaRemaining", "responseHeaders", "meta", "createdAt", "updatedAt", "activatedAt", "lastUsedAt",
                "lastUsedIp",
            ]))
        #expect(keyIndexes.contains { $0.isUnique && $0.columns == ["projectId", "name"] })
        #expect(usageKeys.map(\.destinationTable) == ["apiKey"])
    }
}
