import GRDB
import KeysmithSQLite
import KeysmithStore
import PostgresNIO

@testable import KeysmithPostgres

/// A table both stores keep, named as each names it, for the tests that check what a write left behind rather than
/// what a read shows (rows that no read returns any more must be gone, not merely hidden).
public enum StoreTable: Sendable {
    case account, keyUsage, keyUsageGate, keyUsageClient

    var sqliteName: String {
        switch self {
        case .account: "account"
        case .keyUsage: "keyUsage"
        case .keyUsageGate: "keyUsageGate"
        case .keyUsageClient: "keyUsageClient"
        }
    }

    var postgresName: String {
        switch self {
        case .account: "account"
        case .keyUsage: "key_usage"
        case .keyUsageGate: "key_usage_gate"
        case .keyUsageClient: "key_usage_client"
        }
    }
}

extension TestStore {
    /// The rows `table` holds in `store`.
    public static func rowCount(of table: StoreTable, in store: any Store) async throws -> Int {
        switch store {
        case let sqlite as SQLiteStore:
            return try await sqlite.reader.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.sqliteName)") ?? 0
            }
        case let postgres as PostgresStore:
            let rows = try await postgres.client.query(
                "SELECT count(*)::bigint AS rows FROM \(unescaped: table.postgresName)", logger: postgres.logger)
            return try await rows.first { Int(try $0.value("rows", as: Int64.self)) } ?? 0
        default:
            throw UnknownStore()
        }
    }

    struct UnknownStore: Error {}
}
