import Foundation
import GRDB
import KeysmithCore
import KeysmithSQLite
import KeysmithStore
import Testing

/// `keysmith backup` and `restore` through the store: consistent while writes go on, checked before anything is
/// replaced, and refused while a server holds the file.
@Suite struct BackupTests {
    private let moment = Date(timeIntervalSince1970: 1_800_000_000)
    private let visitor = RequestOrigin(ip: "127.0.0.1", userAgent: "backup-tests")

    private func accounts(_ path: String) throws -> Int {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") ?? 0 }
    }

    @Test func aBackupTakenDuringWritesIsOneConsistentInstant() async throws {
        let temporary = try TemporaryDatabase()
        defer { temporary.remove() }
        let database = try temporary.open()
        defer { try? database.close() }
        let backup = temporary.folder.appendingPathComponent("backup.sqlite").path

        // Sign-ups keep landing (each an account, a workspace, a project, a member and an audit entry) while the
        // copy is taken.
        let writes = Task {
            var written = 0
            while !Task.isCancelled, written < 400 {
                let email = try EmailAddress.parse("user\(written)@example.com").get()
                _ = try await database.createAccount(email: email, passwordHash: "h", origin: visitor, now: moment)
                written += 1
            }
            return written
        }
        try await Task.sleep(for: .milliseconds(50))
        let summary = try await database.backup(to: backup)
        let written = try await writes.value

        #expect(summary.users > 0)
        #expect(summary.users <= written)
        #expect(try accounts(backup) == summary.users)
        let copy = try DatabaseQueue(path: backup)
        defer { try? copy.close() }
        let (integrity, workspaces, projects, journal) = try await copy.read { db in
            (
                try String.fetchAll(db, sql: "PRAGMA integrity_check"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM workspace"),
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM project"),
                try String.fetchOne(db, sql: "PRAGMA journal_mode")
            )
        }
        #expect(integrity == ["ok"])
        // Every account in the copy came with its whole sign-up: nothing half-written.
        #expect(workspaces == summary.users)
        #expect(projects == summary.users)
        #expect(journal == "delete")
    }

    @Test func restoreBringsTheBackupBackAndTheDatabaseWorksOn() async throws {
        let temporary = try TemporaryDatabase()
        defer { temporary.remove() }
        let database = try temporary.open()
        let first = try EmailAddress.parse("first@example.com").get()
        _ = try await database.createAccount(email: first, passwordHash: "h", origin: visitor, now: moment)
        let backup = temporary.folder.appendingPathComponent("backup.sqlite").path
        _ = try await database.backup(to: backup)
        let later = try EmailAddress.parse("later@example.com").get()
        _ = try await database.createAccount(email: later, passwordHash: "h", origin: visitor, now: moment)

        let summary = try await database.restore(from: backup)

        #expect(summary.users == 1)
        #expect(try await database.account(email: first) != nil)
        #expect(try await database.account(email: later) == nil)
        _ = try await database.createAccount(email: later, passwordHash: "h", origin: visitor, now: moment)
        try database.close()
        #expect(try accounts(temporary.path) == 2)
    }

    @Test func aBackupNeverOverwritesAFile() async throws {
        let temporary = try TemporaryDatabase()
        defer { temporary.remove() }
        let database = try temporary.open()
        defer { try? database.close() }
        let existing = temporary.folder.appendingPathComponent("taken.sqlite").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: existing))

        await #expect(throws: SQLiteStore.CopyError.destinationExists(existing)) {
            try await database.backup(to: existing)
        }
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
    }

    @Test func restoreRefusesWhatIsNotAKeysmithBackupAndChangesNothing() async throws {
        let temporary = try TemporaryDatabase()
        defer { temporary.remove() }
        let database = try temporary.open()
        defer { try? database.close() }
        let email = try EmailAddress.parse("stays@example.com").get()
        _ = try await database.createAccount(email: email, passwordHash: "h", origin: visitor, now: moment)
        let text = temporary.folder.appendingPathComponent("notes.txt").path
        try Data(String(repeating: "not a database ", count: 400).utf8).write(to: URL(fileURLWithPath: text))
        let other = temporary.folder.appendingPathComponent("other.sqlite").path
        let otherQueue = try DatabaseQueue(path: other)
        try await otherQueue.write { db in try db.execute(sql: "CREATE TABLE note (text TEXT)") }
        try otherQueue.close()
        let newer = temporary.folder.appendingPathComponent("newer.sqlite").path
        _ = try await database.backup(to: newer)
        let newerQueue = try DatabaseQueue(path: newer)
        try await newerQueue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('fromTheFuture')")
        }
        try newerQueue.close()

        await #expect(throws: SQLiteStore.CopyError.notAKeysmithDatabase(text)) { try await database.restore(from: text) }
        await #expect(throws: SQLiteStore.CopyError.notAKeysmithDatabase(other)) { try await database.restore(from: other) }
        await #expect(throws: SQLiteStore.CopyError.newerSchema(newer)) { try await database.restore(from: newer) }
        #expect(try await database.account(email: email) != nil)
    }

    @Test func aServersSharedLockKeepsARestoreOut() throws {
        let temporary = try TemporaryDatabase()
        defer { temporary.remove() }
        try temporary.open().close()

        let server = try #require(try DatabaseFileLock(path: temporary.path, mode: .shared))
        #expect(try DatabaseFileLock(path: temporary.path, mode: .shared) != nil)  // several nodes may serve one file
        #expect(try DatabaseFileLock(path: temporary.path, mode: .exclusive) == nil)
        withExtendedLifetime(server) {}
    }
}
