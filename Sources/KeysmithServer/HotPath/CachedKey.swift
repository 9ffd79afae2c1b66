import Foundation
import KeysmithCore

/// A key as the hot path holds it: the stored key, the digests of secrets that already passed Argon2 for it, and
/// its latest use (written to the store behind, so the stored key's `lastUsedAt` lags).
struct CachedKey: Sendable {
    /// A secret proven once: its digest and the stored hash it matched. It stays proven only while that hash is
    /// one the key accepts, so a rotation ends it exactly when the hash's grace ends.
    struct Proven: Sendable {
        let digest: SecretDigest
        let hash: String
    }

    private(set) var key: APIKey
    private(set) var proven: [Proven] = []
    private(set) var lastUse: UsageTally.LastUse?

    /// A key keeps at most this many proven secrets (one per secret in grace, in practice).
    static let maxProven = 4

    init(_ key: APIKey) {
        self.key = key
        if let at = key.lastUsedAt { lastUse = UsageTally.LastUse(at: at, ip: key.lastUsedIP) }
    }

    /// The hash `digest` was proven against, if it still counts at `now`.
    func provenHash(for digest: SecretDigest, at now: Date) -> String? {
        // Every entry is compared, so the time taken does not depend on which one matched.
        var found: String?
        for entry in proven where entry.digest.matches(digest) && key.secrets.accepts(hash: entry.hash, at: now) {
            found = entry.hash
        }
        return found
    }

    /// Remembers a secret that passed Argon2 against `hash`, unless the key no longer has that hash.
    mutating func prove(_ digest: SecretDigest, hash: String) {
        guard key.secrets.current?.hash == hash || key.secrets.retired.contains(where: { $0.secret.hash == hash }) else {
            return
        }
        proven.removeAll { $0.hash == hash }
        proven.append(Proven(digest: digest, hash: hash))
        if proven.count > Self.maxProven { proven.removeFirst(proven.count - Self.maxProven) }
    }

    /// The key after a change; proven secrets whose hash the new key still has stay proven.
    mutating func replace(with newKey: APIKey) {
        let hashes = Set([newKey.secrets.current?.hash].compactMap { $0 } + newKey.secrets.retired.map(\.secret.hash))
        proven.removeAll { !hashes.contains($0.hash) }
        if let newer = newKey.lastUsedAt, lastUse.map({ newer > $0.at }) ?? true {
            lastUse = UsageTally.LastUse(at: newer, ip: newKey.lastUsedIP)
        }
        key = newKey
    }

    mutating func recordUse(at date: Date, ip: String?) {
        lastUse = UsageTally.LastUse(at: date, ip: ip)
    }
}
