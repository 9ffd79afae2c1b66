import CoreMetrics
import Foundation
import KeysmithCore
import Synchronization

/// The hot path's memory of keys (DESIGN §7.2, §7.8): recently used keys in a bounded LRU, a Bloom filter of every
/// key id so a made-up id costs no database read, and a short memory of ids that turned out not to exist.
///
/// Only `KeyWriter` changes keys (`put`, `remove`), and it does so after the store committed and before the
/// response leaves, so the next request sees the change. A load from the store that raced with a change is not
/// kept: every change bumps `generation`, and `fill` keeps a load only if none happened since it began.
///
/// With several nodes (DESIGN §9), changes made elsewhere arrive through `invalidate`, and `trust` says how far
/// snapshots can be believed: a stale one is read again from the store (keeping the secrets it had proven, when
/// the key still has their hashes), never answered from.
final class KeyCache: Sendable {
    /// How far cached snapshots are believed.
    enum Trust: Equatable {
        /// Every change reaches this node (one node, or a live change feed).
        case all
        /// The feed came back at this instant: snapshots loaded before it may have missed a change.
        case loadedSince(ContinuousClock.Instant)
        /// The feed is lost: a snapshot counts for `maxAge` after its load, then is read again (fail closed).
        case youngerThan(Duration)

        /// Whether a change made from now on will reach this cache.
        var reportsEveryChange: Bool {
            if case .youngerThan = self { return false }
            return true
        }

        func believes(_ cached: CachedKey, now: () -> ContinuousClock.Instant) -> Bool {
            guard !cached.isStale else { return false }
            return switch self {
            case .all: true
            case .loadedSince(let instant): cached.loadedAt >= instant
            case .youngerThan(let maxAge): now() - cached.loadedAt < maxAge
            }
        }
    }

    enum Lookup {
        case cached(CachedKey)
        /// Certainly no such key: never created, or recently found missing.
        case absent
        /// Not in memory; load it from the store and `fill` with this generation.
        case unknown(generation: UInt64)
    }

    private struct State {
        var keys: LRUCache<String, CachedKey>
        var missing: LRUCache<String, Bool>
        var ids: BloomFilter
        var generation: UInt64 = 0
        var trust = Trust.all
        /// The filter holds every id the store has: a negative means no such key. Not so while the change feed is
        /// lost, nor until the filter has been rebuilt after it returned (a key may have been made meanwhile).
        var idsComplete = true
        /// Ids added while a bigger filter is being built from the store; added to it before it replaces `ids`.
        var addedDuringRebuild: [String]?
    }

    private let state: Mutex<State>
    private let metrics: AppMetrics

    init(capacity: Int, knownIDs: [String], metrics: AppMetrics) {
        var ids = BloomFilter(capacity: knownIDs.count * 2)
        for id in knownIDs { ids.insert(id) }
        state = Mutex(
            State(keys: LRUCache(capacity: max(1, capacity)), missing: LRUCache(capacity: 10_000), ids: ids))
        self.metrics = metrics
    }

    func lookup(_ id: String) -> Lookup {
        let lookup = state.withLock { state -> Lookup in
            if let cached = state.keys.value(forKey: id) {
                guard state.trust.believes(cached, now: { .now }) else { return .unknown(generation: state.generation) }
                return .cached(cached)
            }
            if state.idsComplete, !state.ids.mightContain(id) { return .absent }
            if state.missing.value(forKey: id) != nil { return .absent }
            return .unknown(generation: state.generation)
        }
        switch lookup {
        case .cached: metrics.keyCacheHits.increment()
        case .absent: metrics.keyCacheAbsent.increment()
        case .unknown: metrics.keyCacheMisses.increment()
        }
        return lookup
    }

    /// The cached entry without counting a use, believed or not; nil when it is not in memory.
    func peek(_ id: String) -> CachedKey? {
        state.withLock { $0.keys.peek(id) }
    }

    /// The cached entry if it is believed (see `Trust`); nil otherwise.
    func peekBelieved(_ id: String) -> CachedKey? {
        state.withLock { state in state.keys.peek(id).flatMap { state.trust.believes($0, now: { .now }) ? $0 : nil } }
    }

    /// Keeps what a store load found (nil: no such key), unless a change happened since `generation` or another
    /// load got there first (its entry may hold proven secrets already). A stale entry takes the loaded key and
    /// keeps the proofs its hashes still allow.
    func fill(_ id: String, with key: APIKey?, loadedAt generation: UInt64) {
        resizing { state in
            guard state.generation == generation else { return }
            if let existing = state.keys.peek(id) {
                guard !state.trust.believes(existing, now: { .now }) else { return }
                if let key {
                    _ = state.keys.update(id) { $0.replace(with: key) }
                } else {
                    state.keys.removeValue(forKey: id)
                    state.missing.setValue(true, forKey: id)
                }
            } else if let key {
                // Keyed by the stored key's own id string, so the cache holds one copy of it, not two.
                state.keys.setValue(CachedKey(key), forKey: key.id.value)
            } else if state.trust.reportsEveryChange {
                // Without the feed, a key made elsewhere could not correct this memory: it is not kept then.
                state.missing.setValue(true, forKey: id)
            }
        }
    }

    /// Another node changed (created, edited or deleted) the key: its snapshot is read again before it is believed,
    /// and its id may now exist. Returns true when the id filter should be rebuilt, as `put` does.
    @discardableResult
    func invalidate(_ id: String) -> Bool {
        state.withLock { state in
            state.generation &+= 1
            state.missing.removeValue(forKey: id)
            _ = state.keys.update(id) { $0.markStale() }
            return Self.learn(id, in: &state)
        }
    }

    /// What the change feed says of itself (see `Trust`). Ids remembered as missing are forgotten, and the filter
    /// no longer answers "no such key" on its own: the feed may have missed a key made elsewhere. A rebuild from the
    /// store (`beginRebuild`, `rebuildFilter`) makes it complete again.
    func setTrust(_ trust: Trust) {
        state.withLock { state in
            state.generation &+= 1
            state.trust = trust
            state.missing.removeAll()
            state.idsComplete = false
        }
    }

    /// Starts collecting ids for a rebuild of the filter; false when one is already under way.
    func beginRebuild() -> Bool {
        state.withLock { state in
            guard state.addedDuringRebuild == nil else { return false }
            state.addedDuringRebuild = []
            return true
        }
    }

    var trust: Trust { state.withLock { $0.trust } }

    /// Every change made elsewhere reaches this cache, and its id filter is complete.
    var isFollowingEveryChange: Bool { state.withLock { $0.trust.reportsEveryChange && $0.idsComplete } }

    /// A key as the store now holds it (created or changed); it replaces a cached copy but adds no entry, so the
    /// cache's size stays. Returns true when the id filter is over capacity and should be rebuilt (`rebuildFilter`).
    @discardableResult
    func put(_ key: APIKey) -> Bool {
        let id = key.id.value
        return state.withLock { state in
            state.generation &+= 1
            state.missing.removeValue(forKey: id)
            if state.keys.update(id, { $0.replace(with: key) }) { return false }
            // Not in memory: nothing stale to correct; the next verification loads it. Only its id is new.
            return Self.learn(id, in: &state)
        }
    }

    /// Adds an id to the filter; true when the filter is past its capacity and a rebuild should start.
    private static func learn(_ id: String, in state: inout State) -> Bool {
        if !state.ids.mightContain(id) { state.ids.insert(id) }
        if state.addedDuringRebuild != nil {
            // Even a false positive of the old filter must reach the new one.
            state.addedDuringRebuild?.append(id)
            return false
        }
        guard state.ids.isOverCapacity else { return false }
        state.addedDuringRebuild = []  // from here on, ids go to the rebuild too; one rebuild at a time
        return true
    }

    /// A deleted key: forgotten at once, and remembered as missing.
    func remove(_ id: String) {
        resizing { state in
            state.generation &+= 1
            state.keys.removeValue(forKey: id)
            state.missing.setValue(true, forKey: id)
        }
    }

    /// Every key of a deleted workspace, including any a racing load put back before the ids were listed.
    func removeAll(workspaceID: WorkspaceID) {
        resizing { state in
            state.generation &+= 1
            state.keys.removeAll { _, cached in cached.key.workspaceID == workspaceID }
        }
    }

    /// Remembers that `digest` passed Argon2 against `hash` for the key, if the cached key still has that hash.
    func prove(_ id: String, digest: SecretDigest, hash: String) {
        state.withLock { state in _ = state.keys.update(id) { $0.prove(digest, hash: hash) } }
    }

    /// Notes a verified use; returns the use before it (for whoami's `lastUsedAt`).
    func recordUse(_ id: String, at date: Date, ip: String?) -> UsageTally.LastUse? {
        state.withLock { state in
            var previous: UsageTally.LastUse?
            state.keys.update(id) { cached in
                previous = cached.lastUse
                cached.recordUse(at: date, ip: ip)
            }
            return previous
        }
    }

    /// Replaces the id filter with a bigger one built from `loadIDs` (the store's ids), keeping ids added meanwhile.
    /// Called once `put` has answered true (which starts collecting those ids).
    func rebuildFilter(_ loadIDs: () async throws -> [String]) async throws {
        let ids: [String]
        do {
            ids = try await loadIDs()
        } catch {
            state.withLock { $0.addedDuringRebuild = nil }
            throw error
        }
        state.withLock { state in
            let added = state.addedDuringRebuild ?? []
            var filter = BloomFilter(capacity: (ids.count + added.count) * 2)
            for id in ids { filter.insert(id) }
            for id in added { filter.insert(id) }
            (state.ids, state.addedDuringRebuild) = (filter, nil)
            state.idsComplete = true
        }
    }

    var count: Int { state.withLock { $0.keys.count } }

    /// Runs a change that may add or drop entries, and reads the size for `/metrics` in the same critical section.
    private func resizing(_ change: (inout State) -> Void) {
        let size = state.withLock { state in
            change(&state)
            return state.keys.count
        }
        metrics.keyCacheSize.set(size)
    }
}
