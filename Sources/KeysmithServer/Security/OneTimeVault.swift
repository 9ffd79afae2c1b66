import Foundation
import Synchronization

/// Holds something shown exactly once — a new key's secret, a new admin key's token, an invitation's link — in
/// memory for the redirect to the page that shows it, and hands it out once, only to the session that made it and
/// only for the subject it was made for. Never written to disk; forgotten after `lifetime` even if nobody asks.
/// Redirecting first means a reload shows nothing instead of making a second one.
final class OneTimeVault<Value: Sendable>: Sendable {
    private struct Entry {
        let sessionId: String
        let subject: String
        let value: Value
        let expiresAt: Date
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let lifetime: TimeInterval

    init(lifetime: TimeInterval = 600) {
        self.lifetime = lifetime
    }

    /// Stores the value and returns the random id for the URL that shows it.
    func deposit(_ value: Value, subject: String, sessionId: String, now: Date) -> String {
        let id = RandomToken.make()
        entries.withLock { entries in
            entries = entries.filter { $0.value.expiresAt > now }
            entries[id] = Entry(sessionId: sessionId, subject: subject, value: value, expiresAt: now.addingTimeInterval(lifetime))
        }
        return id
    }

    /// The value, removed as it is taken; nil when already taken, expired, or asked for by another session or for
    /// another subject.
    func withdraw(_ id: String, subject: String, sessionId: String, now: Date) -> Value? {
        entries.withLock { entries in
            guard let entry = entries[id], entry.sessionId == sessionId, entry.subject == subject else { return nil }
            entries[id] = nil
            return entry.expiresAt > now ? entry.value : nil
        }
    }
}

/// A key's new secret on its way to the reveal page.
struct RevealedSecret: Sendable {
    let keyID: String
    let secret: String
    let token: String
    let rotated: Bool
    let graceNote: String?
}

/// A new admin key's token, or a new invitation's link, on its way to the list page that shows it once.
struct ShownOnce: Sendable {
    let name: String
    let value: String
}
