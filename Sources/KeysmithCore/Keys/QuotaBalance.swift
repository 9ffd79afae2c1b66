import Foundation

/// What is left of a key's usage quota in its current period, and when that period began. The one set of quota
/// rules: the store applies them when it hands out a lease, the hot path when it spends one (DESIGN §7.6).
public struct QuotaBalance: Hashable, Sendable {
    public private(set) var remaining: Int
    /// Start of the current period: the creation, the last edit of the quota, or the last monthly refill.
    public private(set) var periodStart: Date

    public init(remaining: Int, periodStart: Date) {
        self.remaining = max(0, remaining)
        self.periodStart = periodStart
    }

    /// A full balance for a quota that is new or was just changed.
    public init(fresh quota: UsageQuota, now: Date) {
        self.init(remaining: quota.remaining, periodStart: now)
    }

    /// When this period ends and the balance is topped up again; nil when the quota never refills.
    public func refillsAt(for quota: UsageQuota) -> Date? {
        quota.refill?.nextRefill(after: periodStart)
    }

    /// The balance at `now`: full again, in a new period, once a monthly refill is due.
    public func refilled(for quota: UsageQuota, now: Date) -> QuotaBalance {
        guard let refillsAt = refillsAt(for: quota), now >= refillsAt else { return self }
        return QuotaBalance(remaining: quota.remaining, periodStart: now)
    }

    /// Takes up to `units` out of the balance and says how many it got (0 when nothing is left).
    public mutating func take(upTo units: Int) -> Int {
        let granted = min(max(0, units), remaining)
        remaining -= granted
        return granted
    }

    /// Puts back units leased in `period`; units of an earlier period (refilled or edited since) are dropped, because
    /// the balance they came from no longer exists.
    public mutating func giveBack(_ units: Int, leasedIn period: Date, cap: Int) {
        // Stores keep dates to the millisecond, so a period read back may differ from the one computed in memory.
        guard abs(period.timeIntervalSince(periodStart)) < 0.001, units > 0 else { return }
        remaining = min(cap, remaining + units)
    }
}
