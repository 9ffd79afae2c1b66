import Foundation
import KeysmithCore
import Synchronization

/// Counts uses (valid, refused, rate-limited; by gate and client address) in memory for `WriteBehindService` to write in batches (DESIGN §7.7): a request adds to a
/// tally under a lock, never waits for the disk.
final class UsageRecorder: Sendable {
    private struct Pending {
        var tally = UsageTally()
        /// When the oldest use not yet written happened: the flush lag.
        var oldest: Date?
    }

    private let pending = Mutex(Pending())

    func record(keyID: String, at date: Date, ip: String?, outcome: UsageOutcome, gate: UsageGate?, scope: Scope?) {
        let scope = scope?.value  // made outside the lock
        pending.withLock { pending in
            pending.tally.record(keyID: keyID, at: date, ip: ip, outcome: outcome, gate: gate, scope: scope)
            if pending.oldest == nil { pending.oldest = date }
        }
    }

    /// Everything counted so far, leaving nothing behind.
    func drain() -> (tally: UsageTally, oldest: Date?) {
        pending.withLock { pending in
            defer { pending = Pending() }
            return (pending.tally, pending.oldest)
        }
    }

    /// Puts back a tally whose write failed, so the next flush tries it again.
    func restore(_ tally: UsageTally, oldest: Date?) {
        pending.withLock { pending in
            pending.tally.merge(tally)
            if let oldest, pending.oldest.map({ oldest < $0 }) ?? true { pending.oldest = oldest }
        }
    }
}
