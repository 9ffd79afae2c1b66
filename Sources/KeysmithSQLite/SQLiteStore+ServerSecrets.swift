import Foundation
import GRDB
import KeysmithStore

extension SQLiteStore {
    /// The 32 random bytes stored under `name`, made on first use. Every node of one database signs with the same
    /// bytes, and a restart does not invalidate what was signed before it.
    public func serverSecret(named name: String, now: Date) async throws -> Data {
        try await writer.write { db in
            if let stored = try Data.fetchOne(db, sql: "SELECT value FROM serverSecret WHERE name = ?", arguments: [name]) {
                return stored
            }
            var generator = SystemRandomNumberGenerator()
            let secret = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            try db.execute(
                sql: "INSERT INTO serverSecret (name, value, createdAt) VALUES (?, ?, ?)", arguments: [name, secret, now])
            return secret
        }
    }
}
