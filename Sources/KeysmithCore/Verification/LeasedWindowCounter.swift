import Foundation

/// One key's requests in the current fixed window on one node of several (DESIGN §9): the node admits only
/// requests it holds, leased from the store the nodes share, so together they never admit more than the limit.
/// Held requests a window did not use are lost with it: the cluster may admit fewer than the limit, never more.
public struct LeasedWindowCounter: Sendable, Equatable {
    public private(set) var windowStart: Date = .distantPast
    /// Admitted by this node in the window.
    public private(set) var count = 0
    /// Leased to this node for the window.
    public private(set) var held = 0
    /// Leased to all nodes for the window, as the store said at this node's last lease.
    public private(set) var leasedInAll = 0

    public init() {}

    /// Counts the request when this node holds one more of the window; nil when it must lease first.
    public mutating func admit(_ limit: RateLimit, now: Date) -> FixedWindowCounter.Decision? {
        enter(FixedWindowCounter.windowStart(limit, now: now))
        guard count < held else { return nil }
        count += 1
        return decision(limit, allowed: true)
    }

    /// Adds what a lease for `windowStart` brought (`granted`, with `leasedInAll` the window's total since), then
    /// counts the request if it now fits; a refusal otherwise.
    public mutating func add(
        granted: Int, leasedInAll total: Int, windowStart start: Date, thenAdmit limit: RateLimit, now: Date
    ) -> FixedWindowCounter.Decision {
        enter(FixedWindowCounter.windowStart(limit, now: now))
        if start == windowStart {
            held += granted
            leasedInAll = max(leasedInAll, total)
        }
        guard count < held else { return decision(limit, allowed: false) }
        count += 1
        return decision(limit, allowed: true)
    }

    /// Undoes one admission in the same window (a request refused after it was admitted); the held request stays
    /// this node's for the next one.
    public mutating func refund(_ limit: RateLimit, now: Date) -> FixedWindowCounter.Decision {
        if FixedWindowCounter.windowStart(limit, now: now) == windowStart, count > 0 { count -= 1 }
        return decision(limit, allowed: true)
    }

    private mutating func enter(_ start: Date) {
        guard start != windowStart else { return }
        (windowStart, count, held, leasedInAll) = (start, 0, 0, 0)
    }

    /// What is left: not yet leased by any node, plus what this node holds unused.
    private func decision(_ limit: RateLimit, allowed: Bool) -> FixedWindowCounter.Decision {
        let remaining = allowed ? max(0, limit.limit - leasedInAll) + (held - count) : 0
        return FixedWindowCounter.Decision(
            allowed: allowed, limit: limit.limit, remaining: remaining,
            reset: windowStart.addingTimeInterval(TimeInterval(limit.window.seconds)))
    }
}
