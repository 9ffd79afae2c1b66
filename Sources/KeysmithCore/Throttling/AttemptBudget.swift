import Foundation

/// A number of attempts per key (a key id, a client address) in fixed windows, reserved *before* the expensive
/// work they guard and given back when the attempt turns out fine. Reserving first means a burst of parallel
/// attempts cannot all slip through while none has been counted yet.
///
/// Bounded: at most `capacity` keys are tracked, the least recently seen forgotten first. A value type with no
/// clock: callers pass `now`.
public struct AttemptBudget: Sendable {
    public let limit: Int
    public let window: TimeInterval
    private var windows: LRUCache<String, AttemptWindow>

    public init(limit: Int, window: TimeInterval, capacity: Int = 100_000) {
        self.limit = limit
        self.window = window
        self.windows = LRUCache(capacity: capacity)
    }

    /// Takes one attempt for `key`; false (and nothing taken) when its budget for this window is spent.
    public mutating func reserve(_ key: String, now: Date) -> Bool {
        var current = windows.value(forKey: key) ?? AttemptWindow(start: now, used: 0)
        if now.timeIntervalSince(current.start) >= window { current = AttemptWindow(start: now, used: 0) }
        guard current.used < limit else { return false }
        current.used += 1
        windows.setValue(current, forKey: key)
        return true
    }

    /// Gives back an attempt reserved at `reservedAt` that succeeded; nothing if its window has passed.
    public mutating func release(_ key: String, reservedAt: Date) {
        windows.update(key) { current in
            if current.start <= reservedAt, reservedAt.timeIntervalSince(current.start) < window, current.used > 0 {
                current.used -= 1
            }
        }
    }

    /// Forgets `key`: its next attempt starts a fresh window.
    public mutating func forget(_ key: String) {
        _ = windows.removeValue(forKey: key)
    }

    /// Seconds until `key`'s current window ends (zero when it has none).
    public func resetsIn(_ key: String, now: Date) -> TimeInterval {
        guard let current = windows.peek(key) else { return 0 }
        return max(0, window - now.timeIntervalSince(current.start))
    }

    /// Attempts left for `key` in its current window.
    public func remaining(_ key: String, now: Date) -> Int {
        guard let current = windows.peek(key), now.timeIntervalSince(current.start) < window else { return limit }
        return max(0, limit - current.used)
    }

    public var trackedKeys: Int { windows.count }

    /// The window kept for `key`, if any: what a store several nodes share keeps between attempts.
    public func window(for key: String) -> AttemptWindow? { windows.peek(key) }

    /// Puts back a window such a store kept.
    public mutating func restore(_ window: AttemptWindow, for key: String) {
        windows.setValue(window, forKey: key)
    }
}

/// One key's attempts in its current window.
public struct AttemptWindow: Sendable, Equatable {
    public var start: Date
    public var used: Int

    public init(start: Date, used: Int) {
        self.start = start
        self.used = used
    }
}
