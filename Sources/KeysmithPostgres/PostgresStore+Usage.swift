import Foundation
import KeysmithCore
import KeysmithStore
import PostgresNIO

/// Quota leases and usage: what the hot path takes and writes behind (DESIGN §7.6). A lease is taken in one
/// transaction, so nodes sharing the database never hand out more than a key's balance between them.
extension PostgresStore: UsageStore {
    public func leaseQuota(id: String, maxSlice: Int, now: Date) async throws -> QuotaLease? {
        try await write { c in
            guard
                var key = try await c.query(
                    "SELECT \(unescaped: APIKeyRow.columns) FROM api_key WHERE id = \(id) FOR UPDATE", logger: logger
                ).first(APIKeyRow.key),
                let lease = key.leaseQuota(maxSlice: maxSlice, now: now)
            else { return nil }
            try await c.query(
                """
                UPDATE api_key SET quota_remaining = \(key.quotaBalance?.remaining),
                    quota_refilled_at = \(key.quotaBalance?.periodStart)
                WHERE id = \(id)
                """, logger: logger)
            return lease
        }
    }

    public func returnQuota(_ leases: [(keyID: String, lease: QuotaLease)]) async throws {
        let leases = leases.filter { $0.lease.units > 0 }.map { ($0.keyID, $0.lease) }
        guard !leases.isEmpty else { return }
        try await write { c in
            for (keyID, lease) in leases {
                guard
                    var key = try await c.query(
                        "SELECT \(unescaped: APIKeyRow.columns) FROM api_key WHERE id = \(keyID) FOR UPDATE", logger: logger
                    ).first(APIKeyRow.key)
                else { continue }
                key.returnQuota(lease.units, leasedIn: lease.period)
                try await c.query(
                    "UPDATE api_key SET quota_remaining = \(key.quotaBalance?.remaining) WHERE id = \(keyID)", logger: logger)
            }
        }
    }

    /// One transaction per batch, as in the SQLite store: outcomes, gates and clients added with upserts (a node's
    /// batch never waits for another's), the day's places bounded by `UsageTally.placeLimit`, last use kept newest.
    public func recordUsage(_ tally: UsageTally) async throws {
        guard !tally.isEmpty else { return }
        let limit = UsageTally.placeLimit
        // Outcomes and last uses, the rows every verification touches, go in one statement each (arrays, unnested);
        // gates and client addresses, bounded per key and day, one row at a time.
        let days = tally.days.map { ($0.key.keyID, $0.key.dayText, $0.value) }
        let lastUses = tally.lastUses.map { ($0.key, $0.value) }
        try await write { c in
            try await c.query(
                """
                INSERT INTO key_usage (key_id, day, count, refused, rate_limited)
                SELECT u.key_id, u.day, u.count, u.refused, u.rate_limited
                FROM unnest(\(days.map(\.0))::text[], \(days.map(\.1))::text[], \(days.map(\.2.outcomes.valid))::bigint[],
                    \(days.map(\.2.outcomes.refused))::bigint[], \(days.map(\.2.outcomes.rateLimited))::bigint[])
                    AS u(key_id, day, count, refused, rate_limited)
                WHERE EXISTS (SELECT 1 FROM api_key WHERE id = u.key_id)
                ON CONFLICT (key_id, day) DO UPDATE SET count = key_usage.count + excluded.count,
                    refused = key_usage.refused + excluded.refused,
                    rate_limited = key_usage.rate_limited + excluded.rate_limited
                """, logger: logger)
            for (id, dayText, day) in days {
                for (place, seen) in day.gates {
                    let (gate, scope, other) = (place.gate.rawValue, place.scope, UsageTally.otherScope)
                    try await c.query(
                        """
                        INSERT INTO key_usage_gate (key_id, day, gate, scope, count, last_seen_at)
                        SELECT \(id), \(dayText), \(gate),
                            CASE WHEN EXISTS (SELECT 1 FROM key_usage_gate WHERE key_id = \(id) AND day = \(dayText)
                                    AND gate = \(gate) AND scope = \(scope))
                                OR (SELECT COUNT(*) FROM key_usage_gate WHERE key_id = \(id) AND day = \(dayText)
                                    AND scope <> \(other)) < \(limit)
                            THEN \(scope) ELSE \(other) END, \(seen.count), \(seen.last)
                        WHERE EXISTS (SELECT 1 FROM api_key WHERE id = \(id))
                        ON CONFLICT (key_id, day, gate, scope) DO UPDATE SET count = key_usage_gate.count + excluded.count,
                            last_seen_at = greatest(key_usage_gate.last_seen_at, excluded.last_seen_at)
                        """, logger: logger)
                }
                for (ip, seen) in day.clients {
                    let other = UsageTally.otherClients
                    try await c.query(
                        """
                        INSERT INTO key_usage_client (key_id, day, ip, count, last_seen_at)
                        SELECT \(id), \(dayText),
                            CASE WHEN EXISTS (SELECT 1 FROM key_usage_client WHERE key_id = \(id) AND day = \(dayText)
                                    AND ip = \(ip))
                                OR (SELECT COUNT(*) FROM key_usage_client WHERE key_id = \(id) AND day = \(dayText)
                                    AND ip <> \(other)) < \(limit)
                            THEN \(ip) ELSE \(other) END, \(seen.count), \(seen.last)
                        WHERE EXISTS (SELECT 1 FROM api_key WHERE id = \(id))
                        ON CONFLICT (key_id, day, ip) DO UPDATE SET count = key_usage_client.count + excluded.count,
                            last_seen_at = greatest(key_usage_client.last_seen_at, excluded.last_seen_at)
                        """, logger: logger)
                }
            }
            // Seconds since 1970 as float8: a timestamptz(3) column keeps their milliseconds. "" stands for no address.
            try await c.query(
                """
                UPDATE api_key AS k SET last_used_at = to_timestamp(u.at), last_used_ip = NULLIF(u.ip, '')
                FROM unnest(\(lastUses.map(\.0))::text[], \(lastUses.map { $0.1.at.timeIntervalSince1970 })::float8[],
                    \(lastUses.map { $0.1.ip ?? "" })::text[]) AS u(id, at, ip)
                WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at <= to_timestamp(u.at))
                """, logger: logger)
        }
    }

    public func keyUsage(id: String, days: Int, now: Date) async throws -> [(day: String, count: Int)] {
        let daily = try await dailyUsage(id: id, days: days, now: now)
        return daily.map { ($0.day, $0.outcomes.valid) }
    }

    public func dailyUsage(id: String, days: Int, now: Date) async throws -> [DailyUsage] {
        let dayStrings = KeyUsageDay.lastDays(days, endingAt: now)
        let (first, last) = (dayStrings.first ?? "", dayStrings.last ?? "")
        let rows = try await read { c in
            try await c.query(
                """
                SELECT day, count, refused, rate_limited FROM key_usage
                WHERE key_id = \(id) AND day >= \(first) AND day <= \(last)
                """, logger: logger
            ).collect { row in
                (
                    try row.value("day", as: String.self),
                    UsageTally.Outcomes(
                        valid: try row.value("count"), refused: try row.value("refused"),
                        rateLimited: try row.value("rate_limited"))
                )
            }
        }
        let stored = Dictionary(rows, uniquingKeysWith: { first, _ in first })
        return dayStrings.map { DailyUsage(day: $0, outcomes: stored[$0] ?? UsageTally.Outcomes()) }
    }

    public func usagePlaces(id: String, days: Int, clientLimit: Int, now: Date) async throws
        -> (gates: [GateUsage], clients: [ClientUsage])
    {
        let since = KeyUsageDay.lastDays(days, endingAt: now).first ?? ""
        return try await read { c in
            let gates = try await c.query(
                """
                SELECT gate, scope, SUM(count)::bigint AS total, MAX(last_seen_at) AS last_seen FROM key_usage_gate
                WHERE key_id = \(id) AND day >= \(since) GROUP BY gate, scope ORDER BY total DESC, gate, scope
                """, logger: logger
            ).collect { row -> GateUsage? in
                guard let gate = UsageGate(rawValue: try row.value("gate")) else { return nil }
                return GateUsage(
                    gate: gate, scope: try row.value("scope"), count: try row.value("total"), lastSeen: try row.value("last_seen")
                )
            }.compactMap { $0 }
            let clients = try await c.query(
                """
                SELECT ip, SUM(count)::bigint AS total, MAX(last_seen_at) AS last_seen FROM key_usage_client
                WHERE key_id = \(id) AND day >= \(since) GROUP BY ip ORDER BY total DESC, ip LIMIT \(clientLimit)
                """, logger: logger
            ).collect { row in
                ClientUsage(ip: try row.value("ip"), count: try row.value("total"), lastSeen: try row.value("last_seen"))
            }
            return (gates, clients)
        }
    }
}
