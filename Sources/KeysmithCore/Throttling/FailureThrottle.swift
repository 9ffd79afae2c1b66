import Foundation

/// Counts failures per key (an IP or an email) in a sliding window and says how long a key must wait once it has too many.
///
/// A value type with no clock: callers pass `now`, so tests step time instead of sleeping.
public struct FailureThrottle: Sendable {
    public let maxFailures: Int
    public let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(maxFailures: Int = 10, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.window = window
    }

    /// Seconds until `key` may try again, or nil when it may try now.
    public func retryAfter(_ key: String, now: Date) -> TimeInterval? {
        let recent = failures[key, default: []].filter { now.timeIntervalSince($0) < window }
        guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
        return max(1, window - now.timeIntervalSince(oldest))
    }

    public mutating func recordFailure(_ key: String, now: Date) {
        var recent = failures[key, default: []].filter { now.timeIntervalSince($0) < window }
        recent.append(now)
        failures[key] = Array(recent.suffix(maxFailures))
        if failures.count > 10_000 { prune(now: now) }
    }

    public mutating func reset(_ key: String) {
        failures[key] = nil
    }

    /// Drops keys whose failures all left the window, bounding memory under a spray of distinct keys.
    private mutating func prune(now: Date) {
        failures = failures.filter { _, dates in dates.contains { now.timeIntervalSince($0) < window } }
    }
}
