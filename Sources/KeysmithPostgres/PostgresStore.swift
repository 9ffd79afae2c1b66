import Foundation
import KeysmithCore
import KeysmithStore
import Logging
import PostgresNIO

/// The store for several nodes: one PostgreSQL database that every Keysmith node shares (DESIGN §9).
///
/// Every write is one intention-named method running in one SERIALIZABLE transaction, so a failed request changes
/// nothing and two nodes' concurrent changes behave as if made one after the other (a transaction that lost a race
/// is run again). A node also sends its own writes through one gate, as the SQLite store's single writer does: the
/// `committed` closures of one node then run in the order its transactions committed.
public final class PostgresStore: Sendable {
    let client: PostgresClient
    let location: PostgresLocation
    /// This node's name: its connections' `application_name`, so the change trigger can say who made a change.
    public let nodeID: String
    let logger: Logger
    private let running: Task<Void, Never>
    private let writes = SerialGate()

    /// Connects to `location`, runs the client's connection pool, and migrates the schema unless `migrate` is false.
    public static func connect(to location: PostgresLocation, logger: Logger, migrate: Bool = true) async throws -> PostgresStore
    {
        let store = PostgresStore(location: location, logger: logger)
        do {
            try await store.ping()
            if migrate { try await PostgresSchema.migrate(store, schema: location.schema) }
            return store
        } catch {
            store.close()
            throw error
        }
    }

    private init(location: PostgresLocation, logger: Logger) {
        let nodeID = "node-" + String(UUID().uuidString.lowercased().prefix(8))
        let client = PostgresClient(configuration: location.clientConfiguration(applicationName: nodeID))
        self.client = client
        self.location = location
        self.nodeID = nodeID
        self.logger = logger
        running = Task { await client.run() }
    }

    public func ping() async throws {
        try await client.query("SELECT 1", logger: logger)
    }

    /// Ends the connection pool; queries after it fail.
    public func close() {
        running.cancel()
    }

    deinit {
        running.cancel()
    }
}

/// Each area's methods are in its own file (`PostgresStore+Keys.swift`, …).
extension PostgresStore: Store {}

extension PostgresStore {
    /// Runs `body` in one SERIALIZABLE transaction, through this node's write gate, and again (up to 10 times) when
    /// PostgreSQL reports that it lost a race with another transaction. `committed`, when given, runs after COMMIT,
    /// still inside the gate.
    @discardableResult
    func write<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result, committed: (Result) -> Void = { _ in }
    ) async throws -> Result {
        try await writes.run {
            let result = try await retryingTransaction(body)
            committed(result)
            return result
        }
    }

    /// `body` in one SERIALIZABLE transaction, run again (up to 10 times) when it lost a race with another.
    func retryingTransaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await transaction("BEGIN ISOLATION LEVEL SERIALIZABLE", body)
            } catch let error as PSQLError where error.isRetryable && attempt < 10 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
            }
        }
    }

    /// A read on one connection: every query of `body` sees the same committed state.
    func read<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        try await transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    /// `body` on one pooled connection between `begin` and COMMIT, rolled back when it throws.
    func transaction<Result: Sendable>(
        _ begin: PostgresQuery, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        try await client.withConnection { connection in
            try await connection.query(begin, logger: logger)
            do {
                let result = try await body(connection)
                try await connection.query("COMMIT", logger: logger)
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Runs a write in which a UNIQUE constraint stands for a name already taken: its violation becomes `error`,
    /// the same answer whether the check lost a race or not.
    func mappingUniqueViolation<T>(to error: @autoclosure () -> any Error, _ operation: () async throws -> T) async throws
        -> T
    {
        do {
            return try await operation()
        } catch let failure as PSQLError where failure.sqlState == "23505" {
            throw error()
        }
    }
}

extension PSQLError {
    /// The five-character SQLSTATE the server sent, when it sent one.
    var sqlState: String? { serverInfo?[.sqlState] }

    /// A serialization failure or a deadlock: the transaction changed nothing and may simply run again.
    var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }
}
