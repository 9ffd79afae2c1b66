import Foundation
import KeysmithStore
import PostgresNIO

extension PostgresStore: ServerSecretStore {
    /// Two nodes starting together both try to insert: `ON CONFLICT DO NOTHING` lets one win, and both then read
    /// the winner's bytes.
    public func serverSecret(named name: String, now: Date) async throws -> Data {
        try await write { c in
            var generator = SystemRandomNumberGenerator()
            let candidate = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            try await c.query(
                """
                INSERT INTO server_secret (name, value, created_at) VALUES (\(name), \(candidate), \(now))
                ON CONFLICT (name) DO NOTHING
                """, logger: logger)
            guard
                let stored = try await c.query("SELECT value FROM server_secret WHERE name = \(name)", logger: logger)
                    .first({ try $0.value("value", as: Data.self) })
            else { throw StoreCorruption(column: "server_secret.value", value: name) }
            return stored
        }
    }
}
