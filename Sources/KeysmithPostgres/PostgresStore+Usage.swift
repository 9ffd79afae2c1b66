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
    /// Four statements, however many keys the batch holds.
    public func recordUsage(_ tally: UsageTally) async throws {
        guard !tally.isEmpty else { return }
        // One statement each for outcomes, gates, client addresses and last uses: arrays, unnested.
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
            try await recordGates(days, in: c)
            try await recordClients(days, in: c)
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

    /// A batch's gates, added in one statement. A place new to its key's day gets a row while the day holds fewer
    /// than `UsageTally.placeLimit` (the busiest new ones first); the rest are added to the gate's catch-all scope.
    private func recordGates(_ days: [(String, String, UsageTally.Day)], in c: PostgresConnection) async throws {
        let rows = days.flatMap { id, dayText, day in
            day.gates.map {
                (id, dayText, $0.key.gate.rawValue, $0.key.scope, $0.value.count, $0.value.last.timeIntervalSince1970)
            }
        }
        guard !rows.isEmpty else { return }
        let (other, limit) = (UsageTally.otherScope, UsageTally.placeLimit)
        try await c.query(
            """
            WITH u AS (
                SELECT * FROM unnest(\(rows.map(\.0))::text[], \(rows.map(\.1))::text[], \(rows.map(\.2))::text[],
                    \(rows.map(\.3))::text[], \(rows.map(\.4))::bigint[], \(rows.map(\.5))::float8[])
                    AS u(key_id, day, gate, scope, count, at)
                WHERE EXISTS (SELECT 1 FROM api_key WHERE id = u.key_id)
            ), known AS (
                SELECT u.*, u.scope = \(other) OR EXISTS (SELECT 1 FROM key_usage_gate g
                    WHERE g.key_id = u.key_id AND g.day = u.day AND g.gate = u.gate AND g.scope = u.scope) AS kept
                FROM u
            ), numbered AS (
                SELECT k.*, row_number() OVER (PARTITION BY k.key_id, k.day, k.kept ORDER BY k.count DESC, k.gate, k.scope) AS n
                FROM known k
            ), used AS (
                SELECT key_id, day, COUNT(*) AS places FROM key_usage_gate
                WHERE scope <> \(other) AND (key_id, day) IN (SELECT key_id, day FROM u) GROUP BY key_id, day
            )
            INSERT INTO key_usage_gate (key_id, day, gate, scope, count, last_seen_at)
            SELECT n.key_id, n.day, n.gate,
                CASE WHEN n.kept OR n.n + COALESCE(used.places, 0) <= \(limit) THEN n.scope ELSE \(other) END AS place,
                SUM(n.count), to_timestamp(MAX(n.at))
            FROM numbered n LEFT JOIN used ON used.key_id = n.key_id AND used.day = n.day
            GROUP BY n.key_id, n.day, n.gate, place
            ON CONFLICT (key_id, day, gate, scope) DO UPDATE SET count = key_usage_gate.count + excluded.count,
                last_seen_at = greatest(key_usage_gate.last_seen_at, excluded.last_seen_at)
            """, logger: logger)
    }

    /// A batch's client addresses, added in one statement, bounded per key and day as gates are.
    private func recordClients(_ days: [(String, String, UsageTally.Day)], in c: PostgresConnection) async throws {
        let rows = days.flatMap { id, dayText, day in
            day.clients.map { (id, dayText, $0.key, $0.value.count, $0.value.last.timeIntervalSince1970) }
        }
        guard !rows.isEmpty else { return }
        let (other, limit) = (UsageTally.otherClients, UsageTally.placeLimit)
        try await c.query(
            """
            WITH u AS (
                SELECT * FROM unnest(\(rows.map(\.0))::text[], \(rows.map(\.1))::text[], \(rows.map(\.2))::text[],
                    \(rows.map(\.3))::bigint[], \(rows.map(\.4))::float8[]) AS u(key_id, day, ip, count, at)
                WHERE EXISTS (SELECT 1 FROM api_key WHERE id = u.key_id)
            ), known AS (
                SELECT u.*, u.ip = \(other) OR EXISTS (SELECT 1 FROM key_usage_client c
                    WHERE c.key_id = u.key_id AND c.day = u.day AND c.ip = u.ip) AS kept
                FROM u
            ), numbered AS (
                SELECT k.*, row_number() OVER (PARTITION BY k.key_id, k.day, k.kept ORDER BY k.count DESC, k.ip) AS n
                FROM known k
            ), used AS (
                SELECT key_id, day, COUNT(*) AS places FROM key_usage_client
                WHERE ip <> \(other) AND (key_id, day) IN (SELECT key_id, day FROM u) GROUP BY key_id, day
            )
            INSERT INTO key_usage_client (key_id, day, ip, count, last_seen_at)
            SELECT n.key_id, n.day,
                CASE WHEN n.kept OR n.n + COALESCE(used.places, 0) <= \(limit) THEN n.ip ELSE \(other) END AS place,
                SUM(n.count), to_timestamp(MAX(n.at))
            FROM numbered n LEFT JOIN used ON used.key_id = n.key_id AND used.day = n.day
            GROUP BY n.key_id, n.day, place
            ON CONFLICT (key_id, day, ip) DO UPDATE SET count = key_usage_client.count + excluded.count,
                last_seen_at = greatest(key_usage_client.last_seen_at, excluded.last_seen_at)
            """, logger: logger)
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
