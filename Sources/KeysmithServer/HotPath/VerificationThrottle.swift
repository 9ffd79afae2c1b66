import Foundation
import KeysmithCore
import Synchronization

/// DESIGN §7.4: before an unproven secret may cost an Argon2 run, it takes one attempt from its key id's budget
/// and one from its client address's. Over either budget the attempt is refused without hashing, answered like a
/// wrong secret. A secret that passes gives its attempts back, and proven secrets never come here, so a flood of
/// wrong secrets cannot lock out the real holder whose secret is cached.
final class VerificationThrottle: Sendable {
    /// Attempts taken for one check; hand it back with `succeeded`.
    struct Reservation: Sendable {
        let keyID: String
        let clientIP: String?
        let at: Date
    }

    private struct Budgets {
        var keyIDs: AttemptBudget
        var clientIPs: AttemptBudget
    }

    private let budgets: Mutex<Budgets>

    init(perKeyID: Int, perClientIP: Int, window: TimeInterval = 60, capacity: Int = 100_000) {
        budgets = Mutex(
            Budgets(
                keyIDs: AttemptBudget(limit: perKeyID, window: window, capacity: capacity),
                clientIPs: AttemptBudget(limit: perClientIP, window: window, capacity: capacity)
            ))
    }

    /// Takes an attempt from both budgets, or from neither (nil) when either is spent.
    func reserve(keyID: String, clientIP: String?, now: Date) -> Reservation? {
        budgets.withLock { budgets in
            guard budgets.keyIDs.reserve(keyID, now: now) else { return nil }
            if let clientIP, !budgets.clientIPs.reserve(clientIP, now: now) {
                budgets.keyIDs.release(keyID, reservedAt: now)
                return nil
            }
            return Reservation(keyID: keyID, clientIP: clientIP, at: now)
        }
    }

    /// The secret was right (or was never checked): its attempts do not count.
    func giveBack(_ reservation: Reservation) {
        budgets.withLock { budgets in
            budgets.keyIDs.release(reservation.keyID, reservedAt: reservation.at)
            if let ip = reservation.clientIP { budgets.clientIPs.release(ip, reservedAt: reservation.at) }
        }
    }
}
