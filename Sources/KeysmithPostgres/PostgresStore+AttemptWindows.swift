import Foundation
import KeysmithCore
import KeysmithStore
import PostgresNIO

/// The sign-in throttles' windows, shared by the nodes (DESIGN §9): one row per purpose and budget key.
extension PostgresStore: AttemptWindowStore {
    public var attemptWindows: (any AttemptWindowStore)? { self }

    /// READ COMMITTED under a transaction-scoped advisory lock per key, taken in sorted order: concurrent attempts
    /// on the same keys, from any node, decide one after another, each reading what the one before it committed,
    /// and attempts that share no key never wait for each other. Outside the write gate: a sign-in must not queue
    /// behind a usage flush.
    public func updateAttemptWindows<Decision: Sendable>(
        purpose: String, keys: [String], expiredBefore: Date,
        _ decide: @Sendable ([String: AttemptWindow]) -> (windows: [String: AttemptWindow], decision: Decision)
    ) async throws -> Decision {
        let keys = Array(Set(keys)).sorted()
        return try await transaction("BEGIN ISOLATION LEVEL READ COMMITTED") { c in
            for key in keys {
                try await c.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended(\("keysmith.attempt." + purpose + "." + key), 0))",
                    logger: logger)
            }
            try await c.query(
                "DELETE FROM attempt_window WHERE purpose = \(purpose) AND window_start < \(expiredBefore)", logger: logger)
            let stored = try await c.query(
                "SELECT key, window_start, used FROM attempt_window WHERE purpose = \(purpose) AND key = ANY(\(keys))",
                logger: logger
            ).collect { row in
                (
                    try row.value("key", as: String.self),
                    AttemptWindow(start: try row.value("window_start"), used: try row.value("used"))
                )
            }
            let (windows, decision) = decide(Dictionary(stored, uniquingKeysWith: { first, _ in first }))
            for key in keys {
                if let window = windows[key] {
                    try await c.query(
                        """
                        INSERT INTO attempt_window (purpose, key, window_start, used)
                        VALUES (\(purpose), \(key), \(window.start), \(window.used))
                        ON CONFLICT (purpose, key) DO UPDATE SET window_start = EXCLUDED.window_start, used = EXCLUDED.used
                        """, logger: logger)
                } else {
                    try await c.query(
                        "DELETE FROM attempt_window WHERE purpose = \(purpose) AND key = \(key)", logger: logger)
                }
            }
            return decision
        }
    }
}
