import Foundation

/// Rate limits shared by several nodes (DESIGN §9): each node leases requests of a key's current window from the
/// store, so together they never admit more than the limit. Only a store several nodes share has one
/// (`Store.rateWindows`); with SQLite, the one node's counter in memory is exact.
public protocol RateWindowStore: Sendable {
    /// Takes up to `slice` of the `limit` requests of the key's window that starts at `windowStart`. Returns how
    /// many this node got (0 when the window is used up) and how many all nodes have leased in it since.
    func leaseRequests(keyID: String, windowStart: Date, limit: Int, slice: Int) async throws
        -> (granted: Int, leasedInAll: Int)
}
