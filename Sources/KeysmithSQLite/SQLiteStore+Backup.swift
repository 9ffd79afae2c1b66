import Foundation
import GRDB
import KeysmithStore

/// `keysmith backup` and `keysmith restore`: whole-database copies made through SQLite, never by copying files, so
/// the WAL is always accounted for and writers can go on meanwhile.
extension SQLiteStore {
    /// What a backup or restore copied, for the command's one-line report.
    public struct CopySummary: Sendable, Equatable {
        public let keys: Int
        public let users: Int
        public let auditEntries: Int
        public let bytes: Int
    }

    public enum CopyError: Error, Equatable, CustomStringConvertible {
        case destinationExists(String)
        case notAKeysmithDatabase(String)
        case damaged(String, String)
        case newerSchema(String)

        public var description: String {
            switch self {
            case .destinationExists(let path): "\(path) already exists; choose a new file name"
            case .notAKeysmithDatabase(let path): "\(path) is not a Keysmith database"
            case .damaged(let path, let report): "\(path) fails SQLite's integrity check: \(report)"
            case .newerSchema(let path): "\(path) was written by a newer Keysmith; upgrade this one first"
            }
        }
    }

    /// A consistent copy of the whole database as of one instant, taken while writes go on (`VACUUM INTO` reads
    /// in one transaction). Written to a temporary name and renamed, so `path` never holds half a backup.
    public func backup(to path: String) async throws -> CopySummary {
        guard !FileManager.default.fileExists(atPath: path) else { throw CopyError.destinationExists(path) }
        let partial = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            // VACUUM refuses to run inside a transaction; on its own it reads one snapshot, and in WAL mode writers
            // go on meanwhile.
            try await writer.unsafeRead { db in try db.execute(sql: "VACUUM INTO ?", arguments: [partial]) }
            // One self-contained file: no -wal or -shm needed to read it, wherever it is copied.
            let copy = try DatabaseQueue(path: partial)
            try await copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try copy.close()
            let summary = try Self.check(path: partial, reportingAs: path)
            try FileManager.default.moveItem(atPath: partial, toPath: path)
            return summary
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
    }

    /// Replaces this database's content with the backup at `path`, through SQLite's backup API: other connections
    /// (a server started with `--force`) see either the old database or the restored one, never a mix. The backup
    /// is checked first and migrated after, so an older backup comes back with today's schema.
    public func restore(from path: String) async throws -> CopySummary {
        let summary = try Self.check(path: path, reportingAs: path)
        let source = try DatabaseQueue(path: path, configuration: Self.readOnly)
        defer { try? source.close() }
        try source.backup(to: writer)
        try Self.migrator.migrate(writer)
        return summary
    }

    /// Opens `path` read-only and makes sure it is a sound Keysmith database no newer than this build.
    private static func check(path: String, reportingAs name: String) throws -> CopySummary {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: readOnly)
        } catch {
            throw CopyError.notAKeysmithDatabase(name)
        }
        defer { try? queue.close() }
        return try queue.read { db in
            guard (try? db.tableExists("grdb_migrations")) == true, try db.tableExists("apiKey") else {
                throw CopyError.notAKeysmithDatabase(name)
            }
            let report = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard report == ["ok"] else { throw CopyError.damaged(name, report.prefix(3).joined(separator: "; ")) }
            let applied = try Set(String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
            guard applied.isSubset(of: migrator.migrations) else { throw CopyError.newerSchema(name) }
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return CopySummary(
                keys: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM apiKey") ?? 0,
                users: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") ?? 0,
                auditEntries: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM auditEntry") ?? 0,
                bytes: pages * pageSize)
        }
    }

    private static var readOnly: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        return configuration
    }
}
