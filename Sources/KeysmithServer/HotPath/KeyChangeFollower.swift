import CoreMetrics
import Foundation
import KeysmithStore
import Logging
import ServiceLifecycle

/// Keeps this node's cache honest about other nodes' key changes (DESIGN §9): each change reported by the store's
/// feed makes the key's snapshot stale (read again on its next use), and while the feed cannot vouch for every
/// change, snapshots count only for a second after their load. Fail closed: a lost feed costs store reads, never a
/// stale answer older than that second.
struct KeyChangeFollower: Service {
    let feed: any KeyChangeFeed
    let cache: KeyCache
    let ledger: QuotaLedger
    let database: any KeyStore
    let metrics: AppMetrics
    let logger: Logger

    /// How long a snapshot counts while the feed is lost.
    static let unfollowedSnapshotAge = Duration.seconds(1)

    /// Until the feed first follows, snapshots are young or read again: set when the node starts.
    static let initialTrust = KeyCache.Trust.youngerThan(unfollowedSnapshotAge)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await feed.follow { event in apply(event) }
        }
    }

    func apply(_ event: KeyChangeEvent) {
        switch event {
        case .following:
            // Every change from now on will be reported; snapshots loaded before now may have missed one, and so
            // may the id filter: it is rebuilt from the store.
            cache.setTrust(.loadedSince(.now))
            if cache.beginRebuild() {
                Task { [cache, database] in try? await cache.rebuildFilter { try await database.allKeyIDs() } }
            }
            metrics.keyChangeFeedFollowing.set(1)
            logger.info("following key changes", metadata: ["node": "\(feed.nodeID)"])
        case .lost:
            cache.setTrust(.youngerThan(Self.unfollowedSnapshotAge))
            metrics.keyChangeFeedFollowing.set(0)
        case .changed(let keyID):
            metrics.keyChangesApplied.increment()
            // A lease is a slice of the balance as it was; after an edit elsewhere, only a new one is sure to fit.
            ledger.forget(keyID)
            if cache.invalidate(keyID) {
                Task { [cache, database] in try? await cache.rebuildFilter { try await database.allKeyIDs() } }
            }
        }
    }
}
