import Foundation
import KeysmithCore

/// What the hot path leases and writes behind (DESIGN §7.6): quota slices, and usage counted in memory.
public protocol UsageStore: Sendable {
    /// Takes a slice of the key's quota out of the store for the hot path to spend in memory (DESIGN §7.6), refilling
    /// the balance first when a monthly refill is due. nil when the key is gone or has no quota.
    func leaseQuota(id: String, maxSlice: Int, now: Date) async throws -> QuotaLease?

    /// Gives unspent lease units back (at clean shutdown). Units of a period that has since been refilled or edited,
    /// and units of deleted keys, are dropped.
    func returnQuota(_ leases: [(keyID: String, lease: QuotaLease)]) async throws

    /// Writes a batch of counted uses in one transaction: per-day outcomes, gates and client addresses added, last use
    /// kept when newer. Uses of keys deleted meanwhile are dropped. A day's gates and addresses stay within
    /// `UsageTally.placeLimit` across batches too: past it, a new one is added to the catch-all row.
    func recordUsage(_ tally: UsageTally) async throws

    /// Requests per day for the last `days` days up to `now`, oldest first, zero-filled.
    func keyUsage(id: String, days: Int, now: Date) async throws -> [(day: String, count: Int)]

    /// Requests per day by outcome for the last `days` days up to `now`, oldest first, zero-filled.
    func dailyUsage(id: String, days: Int, now: Date) async throws -> [DailyUsage]

    /// Where the key was presented over the last `days` days up to `now`: each gate and scope, and the `clientLimit`
    /// busiest client addresses, busiest first.
    func usagePlaces(id: String, days: Int, clientLimit: Int, now: Date) async throws
        -> (gates: [GateUsage], clients: [ClientUsage])
}

extension UsageStore {
    /// The 10 busiest client addresses.
    public func usagePlaces(id: String, days: Int, now: Date) async throws -> (gates: [GateUsage], clients: [ClientUsage]) {
        try await usagePlaces(id: id, days: days, clientLimit: 10, now: now)
    }
}
