import Foundation
import Synchronization

/// Holds a freshly made secret in memory for the redirect to its reveal page, and hands it out exactly once,
/// only to the session that made it. Never written to disk; forgotten after `lifetime` even if nobody asks.
final class RevealVault: Sendable {
    struct Secret: Sendable {
        let keyID: String
        let secret: String
        let token: String
        let rotated: Bool
        let graceNote: String?
    }

    private struct Entry {
        let sessionId: String
        let secret: Secret
        let expiresAt: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let lifetime: TimeInterval

    init(lifetime: TimeInterval = 600) {
        self.lifetime = lifetime
    }

    /// Stores the secret and returns the random id for the reveal URL.
    func deposit(_ secret: Secret, sessionId: String, now: Date) -> String {
        let id = RandomToken.make()
        entries.withLock { entries in
            entries = entries.filter { $0.value.expiresAt > now }
            entries[id] = Entry(sessionId: sessionId, secret: secret, expiresAt: now.addingTimeInterval(lifetime))
        }
        return id
    }

    /// The secret, removed as it is taken; nil when already taken, expired, or asked for by another session.
    func withdraw(_ id: String, keyID: String, sessionId: String, now: Date) -> Secret? {
        entries.withLock { entries in
            guard let entry = entries[id], entry.sessionId == sessionId, entry.secret.keyID == keyID else { return nil }
            entries[id] = nil
            return entry.expiresAt > now ? entry.secret : nil
        }
    }
}
