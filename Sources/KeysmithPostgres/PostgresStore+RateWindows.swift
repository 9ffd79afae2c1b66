import Foundation
import KeysmithStore
import PostgresNIO

/// Rate-limit windows shared by the nodes (DESIGN §9): one row per key and window counts what has been leased.
extension PostgresStore: RateWindowStore {
    public var rateWindows: (any RateWindowStore)? { self }

    /// Outside the node's write gate: a lease sits on a request's path, and must not queue behind a usage flush.
    public func leaseRequests(keyID: String, windowStart: Date, limit: Int, slice: Int) async throws
        -> (granted: Int, leasedInAll: Int)
    {
        try await retryingTransaction { c in
            try await c.query(
                """
                INSERT INTO rate_window (key_id, window_start, leased) VALUES (\(keyID), \(windowStart), 0)
                ON CONFLICT (key_id, window_start) DO NOTHING
                """, logger: logger)
            let leased =
                try await c.query(
                    """
                    SELECT leased FROM rate_window WHERE key_id = \(keyID) AND window_start = \(windowStart) FOR UPDATE
                    """, logger: logger
                ).first { try $0.value("leased", as: Int.self) } ?? limit
            let granted = max(0, min(slice, limit - leased))
            guard granted > 0 else { return (0, leased) }
            try await c.query(
                """
                UPDATE rate_window SET leased = leased + \(granted) WHERE key_id = \(keyID) AND window_start = \(windowStart)
                """, logger: logger)
            return (granted, leased + granted)
        }
    }
}
