/// A dictionary with a fixed capacity that forgets the least recently used entry first.
///
/// Every operation is O(1): entries live in one array linked by indices (no per-entry objects, so no reference
/// counting on the hot path), and a dictionary maps keys to their slots. Not thread-safe: wrap it in a lock.
public struct LRUCache<Key: Hashable, Value> {
    fileprivate struct Node {
        var key: Key
        /// nil once removed, so a removed value is released at once rather than when its slot is reused.
        var value: Value?
        var newer: Int
        var older: Int
    }

    private var slots: [Key: Int] = [:]
    private var nodes: [Node] = []
    private var freeSlots: [Int] = []
    private var newest = -1
    private var oldest = -1
    public let capacity: Int

    public init(capacity: Int) {
        precondition(capacity > 0, "an LRU cache needs room for at least one entry")
        self.capacity = capacity
        // Room for every entry at once: growing by doubling would copy a full cache and leave up to half of it
        // unused. The memory of a large reservation is only touched, and only counts, as entries arrive.
        nodes.reserveCapacity(capacity)
        slots.reserveCapacity(capacity)
    }

    public var count: Int { slots.count }

    /// The value, marked as just used.
    public mutating func value(forKey key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        moveToNewest(slot)
        return nodes[slot].value
    }

    /// The value without marking it used.
    public func peek(_ key: Key) -> Value? {
        slots[key].flatMap { nodes[$0].value }
    }

    /// Changes the value in place when present (marking it used); false when absent.
    @discardableResult
    public mutating func update(_ key: Key, _ change: (inout Value) -> Void) -> Bool {
        guard let slot = slots[key], var value = nodes[slot].value else { return false }
        nodes[slot].value = nil  // leaves `value` the only reference, so changing it copies nothing
        change(&value)
        nodes[slot].value = value
        moveToNewest(slot)
        return true
    }

    /// Inserts or replaces; returns the entry evicted to make room, if any.
    @discardableResult
    public mutating func setValue(_ value: Value, forKey key: Key) -> (key: Key, value: Value)? {
        if let slot = slots[key] {
            nodes[slot].value = value
            moveToNewest(slot)
            return nil
        }
        var evicted: (Key, Value)?
        if slots.count >= capacity, oldest >= 0 {
            let victim = nodes[oldest]
            evicted = victim.value.map { (victim.key, $0) }
            remove(slot: oldest)
        }
        let node = Node(key: key, value: value, newer: -1, older: newest)
        let slot: Int
        if let reused = freeSlots.popLast() {
            nodes[reused] = node
            slot = reused
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        if newest >= 0 { nodes[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
        slots[key] = slot
        return evicted
    }

    @discardableResult
    public mutating func removeValue(forKey key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        let value = nodes[slot].value
        remove(slot: slot)
        return value
    }

    /// Removes every entry whose value matches; O(count).
    public mutating func removeAll(where shouldRemove: (Key, Value) -> Bool) {
        for (key, slot) in slots {
            if let value = nodes[slot].value, shouldRemove(key, value) { remove(slot: slot) }
        }
    }

    public mutating func removeAll() {
        (slots, nodes, freeSlots, newest, oldest) = ([:], [], [], -1, -1)
    }

    private mutating func moveToNewest(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        nodes[slot].older = newest
        nodes[slot].newer = -1
        if newest >= 0 { nodes[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }

    private mutating func remove(slot: Int) {
        unlink(slot)
        slots[nodes[slot].key] = nil
        nodes[slot].value = nil
        freeSlots.append(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let node = nodes[slot]
        if node.newer >= 0 { nodes[node.newer].older = node.older } else { newest = node.older }
        if node.older >= 0 { nodes[node.older].newer = node.newer } else { oldest = node.newer }
    }
}

extension LRUCache: Sendable where Key: Sendable, Value: Sendable {}
extension LRUCache.Node: Sendable where Key: Sendable, Value: Sendable {}
