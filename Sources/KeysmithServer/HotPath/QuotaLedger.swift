import CoreMetrics
import Foundation
import KeysmithCore
import KeysmithStore
import Synchronization

/// Spends usage quotas in memory from leases taken durably from the store (DESIGN §7.6): one store write per slice
/// instead of one per request, and never more admitted than the store handed out, whatever crashes.
///
/// Concurrent verifications of one key share one lease request; the rest wait for it instead of each asking.
final class QuotaLedger: Sendable {
    enum Spend: Sendable, Equatable {
        /// The use was counted; this many are left.
        case spent(remaining: Int)
        /// Nothing left until `refillsAt` (nil: never).
        case exhausted(refillsAt: Date?)
    }

    private enum Entry {
        case lease(QuotaLease)
        case requesting(id: UInt64, Task<QuotaLease?, any Error>)
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var nextRequestID: UInt64 = 0
    }

    private let state = Mutex(State())
    private let database: any UsageStore
    private let maxSlice: Int
    private let metrics: AppMetrics

    init(database: any UsageStore, maxSlice: Int, metrics: AppMetrics) {
        self.database = database
        self.maxSlice = maxSlice
        self.metrics = metrics
    }

    /// Spends one unit of `keyID`'s quota; nil when the key has no quota (any more).
    func spend(_ keyID: String, now: Date) async throws -> Spend? {
        while true {
            enum Step {
                case done(Spend?)
                case wait(UInt64, Task<QuotaLease?, any Error>)
            }
            let step = state.withLock { state -> Step in
                switch state.entries[keyID] {
                case .lease(var lease) where lease.isCurrent(at: now):
                    if lease.spend() {
                        state.entries[keyID] = .lease(lease)
                        return .done(.spent(remaining: lease.remaining))
                    }
                    if lease.storeRemainder == 0 { return .done(.exhausted(refillsAt: lease.refillsAt)) }
                case .requesting(let id, let task):
                    return .wait(id, task)
                case .lease, nil:
                    break
                }
                state.nextRequestID &+= 1
                let id = state.nextRequestID
                let task = Task { [database, maxSlice] in try await database.leaseQuota(id: keyID, maxSlice: maxSlice, now: now) }
                state.entries[keyID] = .requesting(id: id, task)
                return .wait(id, task)
            }
            switch step {
            case .done(let spend):
                return spend
            case .wait(let id, let task):
                let lease: QuotaLease?
                do {
                    lease = try await task.value
                } catch {
                    state.withLock { state in
                        if case .requesting(id, _) = state.entries[keyID] { state.entries[keyID] = nil }
                    }
                    throw error
                }
                state.withLock { state in
                    // `forget` may have run meanwhile (the quota was edited): then this lease is stale, and the loop
                    // asks again.
                    guard case .requesting(id, _) = state.entries[keyID] else { return }
                    state.entries[keyID] = lease.map(Entry.lease)
                    if lease != nil { metrics.quotaLeases.increment() }
                }
                if lease == nil { return nil }
            }
        }
    }

    /// Drops the key's lease without giving it back: its quota was edited (the store reset the balance) or the key
    /// was deleted.
    func forget(_ keyID: String) {
        _ = state.withLock { $0.entries.removeValue(forKey: keyID) }
    }

    /// Units leased and not spent yet, given back at shutdown.
    func unspent(_ keyID: String) -> Int {
        leased(keyID)?.units ?? 0
    }

    /// What a key read from the store has left: its stored balance plus this node's unspent lease. nil without quota.
    func remaining(ofStored key: APIKey) -> Int? {
        key.quotaBalance.map { $0.remaining + unspent(key.id.value) }
    }

    /// What the key has left as of its current lease, if this node holds one.
    func leaseRemaining(_ keyID: String) -> Int? {
        leased(keyID)?.remaining
    }

    private func leased(_ keyID: String) -> QuotaLease? {
        state.withLock { state in
            if case .lease(let lease) = state.entries[keyID] { return lease }
            return nil
        }
    }

    /// Gives every unspent unit back to the store: at clean shutdown, after the server stopped taking requests.
    func returnUnspent() async throws {
        let leases = state.withLock { state -> [(keyID: String, lease: QuotaLease)] in
            let leases = state.entries.compactMap { keyID, entry -> (keyID: String, lease: QuotaLease)? in
                guard case .lease(let lease) = entry, lease.units > 0 else { return nil }
                return (keyID, lease)
            }
            state.entries = [:]
            return leases
        }
        try await database.returnQuota(leases)
    }
}
