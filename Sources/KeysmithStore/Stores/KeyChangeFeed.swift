import Foundation

/// What the other nodes sharing a store change, for this node's cache (DESIGN §9). Only a store several nodes can
/// share has one (`Store.keyChanges`); with SQLite, the one node's key writer is all the cache needs.
public protocol KeyChangeFeed: Sendable {
    /// This node's name in the cluster, as `syncStatus` counts it.
    var nodeID: String { get }

    /// Follows the changes until the task is cancelled. `event` gets `.following` once every change committed from
    /// then on will be reported, `.changed` for each key another node's transaction created, edited or deleted
    /// (this node's own are the key writer's), and `.lost` when changes may go unreported, for instance because the
    /// notification connection broke; the feed then reconnects by itself and says `.following` again. Meanwhile it
    /// reports, about once a second, the last change this node applied.
    func follow(_ event: @escaping @Sendable (KeyChangeEvent) -> Void) async

    /// Whether the key's latest change has reached every live node; nil when the key was never changed through the
    /// feed (it predates it).
    func syncStatus(ofKey id: String) async throws -> KeySyncStatus?
}

public enum KeyChangeEvent: Sendable, Equatable {
    case following
    case changed(keyID: String)
    case lost
}

/// How far the nodes are with a key's latest change.
public struct KeySyncStatus: Sendable, Equatable {
    /// When the change was committed.
    public let changedAt: Date
    /// Nodes that reported in the last few seconds.
    public let liveNodes: Int
    /// Live nodes that have not yet reported applying it.
    public let nodesBehind: Int

    public init(changedAt: Date, liveNodes: Int, nodesBehind: Int) {
        self.changedAt = changedAt
        self.liveNodes = liveNodes
        self.nodesBehind = nodesBehind
    }

    public var hasReachedEveryNode: Bool { nodesBehind == 0 }
}
