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
    /// Newest last. Almost every key has exactly one proven secret: the first is kept inline, so it costs no
    /// allocation of its own (100,000 cached keys, 10 MB less).
    private var firstProven: Proven?
    private var moreProven: [Proven] = []
    private(set) var lastUse: UsageTally.LastUse?
    /// When the key was last read from the store or written by this node: what `KeyCache.Trust` judges.
    private(set) var loadedAt: ContinuousClock.Instant
    /// Another node changed the key since: not to be believed until read again.
    private(set) var isStale = false

    /// A key keeps at most this many proven secrets (one per secret in grace, in practice).
    static let maxProven = 4

    init(_ key: APIKey, loadedAt: ContinuousClock.Instant = .now) {
        self.key = key
        self.loadedAt = loadedAt
        if let at = key.lastUsedAt { lastUse = UsageTally.LastUse(at: at, ip: key.lastUsedIP) }
    }

    private var proven: [Proven] { (firstProven.map { [$0] } ?? []) + moreProven }

    /// The hash `digest` was proven against, if it still counts at `now`.
    func provenHash(for digest: SecretDigest, at now: Date) -> String? {
        // Every entry is compared, so the time taken does not depend on which one matched.
        var found: String?
        if let first = firstProven, first.digest.matches(digest), key.secrets.accepts(hash: first.hash, at: now) {
            found = first.hash
        }
        for entry in moreProven where entry.digest.matches(digest) && key.secrets.accepts(hash: entry.hash, at: now) {
            found = entry.hash
        }
        return found
    }

    /// Remembers a secret that passed Argon2 against `hash`, unless the key no longer has that hash.
    mutating func prove(_ digest: SecretDigest, hash: String) {
        guard key.secrets.holds(hash: hash) else { return }
        keepProven { $0.hash != hash }
        let entry = Proven(digest: digest, hash: hash)
        if firstProven == nil {
            firstProven = entry
        } else {
            moreProven.append(entry)
            if moreProven.count >= Self.maxProven {
                firstProven = moreProven.removeFirst()
            }
        }
    }

    /// The key after a change, or as the store holds it now; proven secrets whose hash the new key still has stay
    /// proven.
    mutating func replace(with newKey: APIKey) {
        loadedAt = .now
        isStale = false
        keepProven { newKey.secrets.holds(hash: $0.hash) }
        if let newer = newKey.lastUsedAt, lastUse.map({ newer > $0.at }) ?? true {
            lastUse = UsageTally.LastUse(at: newer, ip: newKey.lastUsedIP)
        }
        key = newKey
    }

    private mutating func keepProven(where shouldKeep: (Proven) -> Bool) {
        let kept = proven.filter(shouldKeep)
        firstProven = kept.first
        moreProven = Array(kept.dropFirst())
    }

    /// Another node changed the key: the snapshot is not to be trusted until it has been read again.
    mutating func markStale() {
        isStale = true
    }

    mutating func recordUse(at date: Date, ip: String?) {
        lastUse = UsageTally.LastUse(at: date, ip: ip)
    }
}
