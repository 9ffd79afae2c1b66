import Foundation
import KeysmithPostgres
import KeysmithSQLite
import KeysmithStore
import Logging
import PostgresNIO

/// The store a test runs on. By default a private in-memory SQLite database; with `KEYSMITH_TEST_STORE=postgres`
/// (`make test` runs the suite once more so, inside `e2e/with-postgres.sh`) a schema of its own in the throwaway
/// PostgreSQL cluster at `KEYSMITH_TEST_POSTGRES`, migrated as a new install would be. The same tests, the same
/// assertions: that is how the two stores are held to one behaviour.
public enum TestStore {
    public static var isPostgres: Bool { ProcessInfo.processInfo.environment["KEYSMITH_TEST_STORE"] == "postgres" }

    public static func make() async throws -> any Store {
        guard isPostgres else { return try SQLiteStore.open(path: nil) }
        guard let url = ProcessInfo.processInfo.environment["KEYSMITH_TEST_POSTGRES"] else {
            throw MissingCluster()
        }
        var location = try PostgresLocation(url: url)
        location.schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // Hundreds of tests run at once, each with a store of its own: a few connections each is plenty.
        location.poolSize = 4
        return try await PostgresStore.connect(to: location, logger: Logger(label: "keysmith.test"))
    }

    public struct MissingCluster: Error, CustomStringConvertible {
        public var description: String {
            "KEYSMITH_TEST_STORE=postgres needs KEYSMITH_TEST_POSTGRES: run it in e2e/with-postgres.sh"
        }
    }
}

extension TestStore {
    /// A fresh schema in the test cluster for several stores to share, as nodes of one deployment do.
    public static func sharedLocation() throws -> PostgresLocation {
        guard let url = ProcessInfo.processInfo.environment["KEYSMITH_TEST_POSTGRES"] else { throw MissingCluster() }
        var location = try PostgresLocation(url: url)
        location.schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        location.poolSize = 3  // the feed holds one
        return location
    }

    /// Cuts a node's LISTEN connection from the server side, as a failover or a network cut would.
    public static func terminateListeners(of nodeID: String) async throws {
        guard let url = ProcessInfo.processInfo.environment["KEYSMITH_TEST_POSTGRES"] else { throw MissingCluster() }
        let location = try PostgresLocation(url: url)
        let client = PostgresClient(
            configuration: .init(
                host: location.host, port: location.port, username: location.user, password: location.password,
                database: location.database, tls: .disable))
        let running = Task { await client.run() }
        defer { running.cancel() }
        let listener = nodeID + ".listen"
        let rows = try await client.query(
            "SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = \(listener)")
        var ended = 0
        for try await _ in rows { ended += 1 }
        guard ended > 0 else { throw NoListener(nodeID: nodeID) }
    }

    public struct NoListener: Error, CustomStringConvertible {
        public let nodeID: String
        public var description: String { "no LISTEN connection of \(nodeID) to cut" }
    }
}
