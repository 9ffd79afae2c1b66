import GRDB
import KeysmithStore

/// The embedded store: one SQLite file with one writer (a WAL `DatabasePool` on disk, a `DatabaseQueue` in
/// memory), migrated on open.
///
/// Every write is one intention-named method running in one transaction, so a failed request changes nothing.
public struct SQLiteStore: Store {
    let writer: any DatabaseWriter

    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        try Self.migrator.migrate(writer)
    }

    /// Opens the SQLite file at `path` (creating it), or a private in-memory database when `path` is nil.
    public static func open(path: String?) throws -> SQLiteStore {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // FULL syncs the WAL at every commit, so an acknowledged disable or delete survives a power loss. Since
            // verification writes usage behind in one batch a second, that costs a key change a sync, not a request.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        guard let path else {
            return try SQLiteStore(DatabaseQueue(configuration: configuration))
        }
        return try SQLiteStore(DatabasePool(path: path, configuration: configuration))
    }

    /// Read-only access for queries.
    public var reader: any DatabaseReader { writer }

    public func close() throws {
        try writer.close()
    }
}

extension SQLiteStore {
    /// Runs a write in which a UNIQUE constraint stands for a name already taken: its violation becomes `error`,
    /// the same answer whether the check lost a race or not.
    func mappingUniqueViolation<T>(to error: @autoclosure () -> any Error, _ operation: () async throws -> T) async throws
        -> T
    {
        do {
            return try await operation()
        } catch let failure as DatabaseError where failure.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw error()
        }
    }
}

extension SQLiteStore {
    public func ping() async throws {
        _ = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}
