import Foundation
import KeysmithCore
import KeysmithStore
import KeysmithTestStores
import Logging
import PostgresNIO
import Testing

@testable import KeysmithPostgres

/// What only the PostgreSQL store has: its migrations into a schema of their own, applied once however many nodes
/// start at the same moment.
@Suite(.enabled(if: TestStore.isPostgres, "needs the PostgreSQL pass (KEYSMITH_TEST_STORE=postgres)"))
struct PostgresSchemaTests {
    private let logger = Logger(label: "keysmith.test")

    @Test func nodesStartingTogetherMigrateAFreshSchemaOnceAndAgainChangesNothing() async throws {
        let location = try TestStore.sharedLocation()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<3 { group.addTask { try await PostgresStore.connect(to: location, logger: logger) } }
            return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
        }
        defer { stores.forEach { $0.close() } }
        let again = try await PostgresStore.connect(to: location, logger: logger)
        defer { again.close() }

        let applied = try await again.client.query("SELECT name FROM schema_migration ORDER BY applied_at, name", logger: logger)
            .collect { try $0.value("name", as: String.self) }
        #expect(applied.count == PostgresSchema.migrations.count)
        #expect(Set(applied) == Set(PostgresSchema.migrations.map(\.name)))
        let tables = try await again.client.query(
            "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = \(location.schema)",
            logger: logger
        ).collect { try $0.value("name", as: String.self) }
        #expect(Set(tables).isSuperset(of: ["account", "api_key", "key_usage", "key_change", "node", "rate_window"]))
    }
}
