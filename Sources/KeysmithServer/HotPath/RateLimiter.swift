import Foundation
import KeysmithCore
import Synchronization

/// The in-memory fixed-window counters of every key, shared by all requests of this process (DESIGN §7.5).
final class RateLimiter: Sendable {
    private let counters = Mutex<[String: FixedWindowCounter]>([:])

    /// Past this many counters, those whose window ended over an hour ago are dropped.
    static let pruneThreshold = 100_000

    func admit(keyID: String, limit: RateLimit, now: Date) -> FixedWindowCounter.Decision {
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
        counters.withLock { counters in
            guard var counter = counters[keyID] else { return nil }
            let decision = counter.refund(limit, now: now)
            counters[keyID] = counter
            return decision
        }
    }

    /// Forgets a deleted key's counter.
    func forget(keyID: String) {
        _ = counters.withLock { $0.removeValue(forKey: keyID) }
    }
}
