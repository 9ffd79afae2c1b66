import Foundation
import KeysmithStore
import PostgresNIO
import Synchronization

/// Key changes between nodes (DESIGN §9). A trigger on `api_key` (migration `publishKeyChanges`) numbers every
/// committed change of a key's definition in `key_change` and sends `NOTIFY` with the number, the changing node
/// (its `application_name`) and the key id. Usage writes and quota leases touch only columns the trigger ignores.
///
/// Each node LISTENs on one connection of its own and reports, every second on that same connection, that it is
/// alive and the last change it applied (`node`): a connection that stops answering is as lost as one that broke.
extension PostgresStore: KeyChangeFeed {
    public var keyChanges: (any KeyChangeFeed)? { self }

    /// How often a following node reports in.
    static let heartbeat = Duration.seconds(1)
    /// How long a report may take before the feed counts as lost. A connection that broke (a restart, a failover, a
    /// terminated backend) is noticed at once, by its socket; this catches one that silently stopped answering. It
    /// is generous on purpose: a node merely slowed by load must not flap into reading every key from the store.
    static let reportDeadline = Duration.seconds(10)
    /// Nodes that reported within this long count as live for `syncStatus`.
    static let liveWithin = 10

    var channel: String { "keysmith_" + (location.schema ?? "public") }

    /// The `application_name` of the node's LISTEN connection in `pg_stat_activity`.
    public var listenerName: String { nodeID + ".listen" }

    public func follow(_ event: @escaping @Sendable (KeyChangeEvent) -> Void) async {
        var delay = Duration.milliseconds(50)
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    // Named apart from the pool's connections, so an operator (or `make bench`) can find and cut it.
                    try await connection.query("SELECT set_config('application_name', \(listenerName), false)", logger: logger)
                    // The name is not put back: the connection comes back to the pool only after an error, when a
                    // query on it may never answer. At worst a later write on it names the node `….listen`, and the
                    // node then takes its own change for another's: one needless re-read.
                    try await follow(on: connection, event, resetDelay: { delay = .milliseconds(50) })
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("key change feed lost; reconnecting", metadata: ["error": "\(String(reflecting: error))"])
            }
            event(.lost)
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(1))
        }
    }

    /// LISTENs on `connection` and reports changes until the connection fails or the task is cancelled.
    private func follow(
        on connection: PostgresConnection, _ event: @escaping @Sendable (KeyChangeEvent) -> Void,
        resetDelay: () -> Void
    ) async throws {
        try await connection.listen(on: channel) { notifications in
            // LISTEN is active: every change committed from here on will be notified.
            let applied = AppliedChange(try await latestChange(connection))
            event(.following)
            resetDelay()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await self.reportIn(connection, applied: applied) }
                group.addTask {
                    for try await notification in notifications {
                        guard let change = Self.change(from: notification.payload) else { continue }
                        applied.advance(to: change.sequence)
                        if change.node != self.nodeID { event(.changed(keyID: change.keyID)) }
                    }
                    throw FeedEnded()
                }
                // Whichever ends first (a failed report, a closed connection) ends the other.
                try await group.next()
                group.cancelAll()
            }
        }
    }

    public func syncStatus(ofKey id: String) async throws -> KeySyncStatus? {
        try await read { c in
            try await c.query(
                """
                SELECT c.changed_at, n.live, n.behind FROM (
                    SELECT seq, changed_at FROM key_change WHERE key_id = \(id) ORDER BY seq DESC LIMIT 1) c
                CROSS JOIN LATERAL (
                    SELECT COUNT(*)::bigint AS live, COUNT(*) FILTER (WHERE applied_seq < c.seq)::bigint AS behind
                    FROM node WHERE seen_at > now() - make_interval(secs => \(Self.liveWithin))) n
                """, logger: logger
            ).first { row in
                KeySyncStatus(
                    changedAt: try row.value("changed_at"), liveNodes: try row.value("live", as: Int.self),
                    nodesBehind: try row.value("behind", as: Int.self))
            }
        }
    }

    /// Every second: this node is alive and has applied up to `applied`. Also trims what no node needs any more.
    private func reportIn(_ connection: PostgresConnection, applied: AppliedChange) async throws {
        var reports = 0
        while true {
            let sequence = applied.sequence
            let trim = reports % 60 == 0
            try await withDeadline(Self.reportDeadline) { [self] in
                try await connection.query(
                    """
                    INSERT INTO node (id, started_at, seen_at, applied_seq) VALUES (\(nodeID), now(), now(), \(sequence))
                    ON CONFLICT (id) DO UPDATE SET seen_at = now(), applied_seq = greatest(node.applied_seq, excluded.applied_seq)
                    """, logger: logger)
                if trim {
                    try await connection.query(
                        "DELETE FROM key_change WHERE changed_at < now() - interval '1 day'", logger: logger)
                    try await connection.query("DELETE FROM node WHERE seen_at < now() - interval '1 day'", logger: logger)
                    try await connection.query(
                        "DELETE FROM rate_window WHERE window_start < now() - interval '1 day'", logger: logger)
                }
            }
            reports += 1
            try await Task.sleep(for: Self.heartbeat)
        }
    }

    private func latestChange(_ connection: PostgresConnection) async throws -> Int64 {
        try await connection.query("SELECT COALESCE(MAX(seq), 0)::bigint AS seq FROM key_change", logger: logger)
            .first { try $0.value("seq", as: Int64.self) } ?? 0
    }

    /// `seq node key-id`, as the trigger sends it.
    static func change(from payload: String) -> (sequence: Int64, node: String, keyID: String)? {
        let parts = payload.split(separator: " ", maxSplits: 2)
        guard parts.count == 3, let sequence = Int64(parts[0]) else { return nil }
        return (sequence, String(parts[1]), String(parts[2]))
    }

    /// The highest change number this node has seen, shared by the feed and its reports.
    private final class AppliedChange: Sendable {
        private let value: Mutex<Int64>

        init(_ sequence: Int64) { value = Mutex(sequence) }

        var sequence: Int64 { value.withLock { $0 } }

        func advance(to sequence: Int64) { value.withLock { $0 = max($0, sequence) } }
    }

    private struct FeedEnded: Error {}
    private struct DeadlineExceeded: Error {}

    /// Runs `operation`, failing if it takes longer than `limit`.
    private func withDeadline(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw DeadlineExceeded()
            }
            try await group.next()
            group.cancelAll()
        }
    }
}
