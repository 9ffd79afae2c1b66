import Foundation

/// Quota units taken durably from the store ahead of use, spent in memory one verification at a time (DESIGN §7.6).
///
/// The store has already subtracted them, so a crash loses at most the unspent part of one lease: the key then
/// under-admits, it never over-admits. Unspent units go back at a clean shutdown.
public struct QuotaLease: Hashable, Sendable {
    /// The balance period the units came from; giving them back after a refill or an edit is a no-op.
    public let period: Date
    /// When the period ends: the lease is void from then on and a new one must be taken.
    public let refillsAt: Date?
    public private(set) var units: Int
    /// What the store still held when it granted this lease.
    public let storeRemainder: Int

    public init(period: Date, refillsAt: Date?, units: Int, storeRemainder: Int) {
        self.period = period
        self.refillsAt = refillsAt
        self.units = units
        self.storeRemainder = storeRemainder
    }

    /// At most `maxSlice` units, and never more than a quarter of what is left (at least one), so a crash costs a
    /// small quota little and a large one at most one slice.
    public static func slice(remaining: Int, maxSlice: Int) -> Int {
        max(1, min(maxSlice, remaining / 4))
    }

    /// True while the lease belongs to the current period.
    public func isCurrent(at now: Date) -> Bool {
        refillsAt.map { now < $0 } ?? true
    }

    /// What the key has left in all, as far as this node knows: this lease plus the store's remainder.
    public var remaining: Int { units + storeRemainder }

    /// Spends one unit; false when the lease is used up.
    public mutating func spend() -> Bool {
        guard units > 0 else { return false }
        units -= 1
        return true
    }
}
