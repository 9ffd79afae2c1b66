import Foundation
import KeysmithPostgres
import KeysmithSQLite
import KeysmithStore
import Logging

/// The store a test runs on. By default a private in-memory SQLite database; with `KEYSMITH_TEST_STORE=postgres`
/// (`make test` runs the suite once more so, inside `e2e/with-postgres.sh`) a schema of its own in the throwaway
/// PostgreSQL cluster at `KEYSMITH_TEST_POSTGRES`, migrated as a new install would be. The same tests, the same
/// assertions: that is how the two stores are held to one behaviour.
enum TestStore {
    static var isPostgres: Bool { ProcessInfo.processInfo.environment["KEYSMITH_TEST_STORE"] == "postgres" }

    static func make() async throws -> any Store {
        guard isPostgres else { return try SQLiteStore.open(path: nil) }
        guard let url = ProcessInfo.processInfo.environment["KEYSMITH_TEST_POSTGRES"] else {
            throw MissingCluster()
        }
        var location = try PostgresLocation(url: url)
        location.schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        // Hundreds of tests run at once, each with a store of its own: a few connections each is plenty.
        location.poolSize = 2
        return try await PostgresStore.connect(to: location, logger: Logger(label: "keysmith.test"))
    }

    struct MissingCluster: Error, CustomStringConvertible {
        var description: String { "KEYSMITH_TEST_STORE=postgres needs KEYSMITH_TEST_POSTGRES: run it in e2e/with-postgres.sh" }
    }
}
