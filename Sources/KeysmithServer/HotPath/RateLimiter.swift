import Foundation
import KeysmithCore
import KeysmithStore
import Synchronization

/// The fixed-window counters of every key, shared by all requests of this process (DESIGN §7.5). On one node they
/// are exact in memory. With several nodes (`shared`), a node admits only requests it leased from the store, in
/// slices of a tenth of the limit, so the nodes together never admit more than the limit per window (DESIGN §9).
final class RateLimiter: Sendable {
    private let counters = Mutex<[String: FixedWindowCounter]>([:])
    private let leased = Mutex<[String: LeasedWindowCounter]>([:])
    private let shared: (any RateWindowStore)?

    /// Past this many counters, those whose window ended over an hour ago are dropped.
    static let pruneThreshold = 100_000

    init(shared: (any RateWindowStore)? = nil) {
        self.shared = shared
    }

    func admit(keyID: String, limit: RateLimit, now: Date) async throws -> FixedWindowCounter.Decision {
        guard let shared else { return admitHere(keyID: keyID, limit: limit, now: now) }
        if let decision = leased.withLock({ $0[keyID, default: LeasedWindowCounter()].admit(limit, now: now) }) {
            return decision
        }
        let start = FixedWindowCounter.windowStart(limit, now: now)
        let slice = max(1, min(limit.limit / 10, 1_000))
        let lease = try await shared.leaseRequests(keyID: keyID, windowStart: start, limit: limit.limit, slice: slice)
        return leased.withLock { counters in
            let decision = counters[keyID, default: LeasedWindowCounter()].add(
                granted: lease.granted, leasedInAll: lease.leasedInAll, windowStart: start, thenAdmit: limit, now: now)
            if counters.count > Self.pruneThreshold {
                counters = counters.filter { now.timeIntervalSince($0.value.windowStart) < 2 * 3_600 }
            }
            return decision
        }
    }

    private func admitHere(keyID: String, limit: RateLimit, now: Date) -> FixedWindowCounter.Decision {
        counters.withLock { counters in
            var counter = counters[keyID] ?? FixedWindowCounter()
            let decision = counter.admit(limit, now: now)
            counters[keyID] = counter
            if counters.count > Self.pruneThreshold {
                // Windows last an hour at most: one that started two hours ago is over.
                counters = counters.filter { now.timeIntervalSince($0.value.windowStart) < 2 * 3_600 }
            }
            return decision
        }
    }

    /// Gives back the slot of a request that was refused later (quota exhausted, key revoked meanwhile).
    func refund(keyID: String, limit: RateLimit, now: Date) -> FixedWindowCounter.Decision? {
        if shared != nil {
            return leased.withLock { counters in counters[keyID]?.refund(limit, now: now) }
        }
        return counters.withLock { counters in
            guard var counter = counters[keyID] else { return nil }
            let decision = counter.refund(limit, now: now)
            counters[keyID] = counter
            return decision
        }
    }

    /// Forgets a deleted key's counter.
    func forget(keyID: String) {
        _ = counters.withLock { $0.removeValue(forKey: keyID) }
        _ = leased.withLock { $0.removeValue(forKey: keyID) }
    }
}
