import Foundation

/// One key's requests in the current fixed window (aligned to the epoch: a minute window runs :00 to :59).
public struct FixedWindowCounter: Sendable, Equatable {
    public private(set) var windowStart: Date
    public private(set) var count: Int

    public init(windowStart: Date = .distantPast, count: Int = 0) {
        self.windowStart = windowStart
        self.count = count
    }

    /// What a rate limit says about one more request now.
    public struct Decision: Sendable, Equatable {
        public let allowed: Bool
        public let limit: Int
        public let remaining: Int
        /// When the window resets.
        public let reset: Date

        /// Whole seconds until the reset, at least 1, for `Retry-After`.
        public func retryAfter(now: Date) -> Int { max(1, Int(reset.timeIntervalSince(now).rounded(.up))) }
    }

    /// The start of the window `now` falls in, for `limit`'s window length.
    public static func windowStart(_ limit: RateLimit, now: Date) -> Date {
        let length = TimeInterval(limit.window.seconds)
        return Date(timeIntervalSince1970: (now.timeIntervalSince1970 / length).rounded(.down) * length)
    }

    /// Undoes one `admit` in the same window, for a request refused after it was admitted.
    public mutating func refund(_ limit: RateLimit, now: Date) -> Decision {
        let length = TimeInterval(limit.window.seconds)
        let start = Self.windowStart(limit, now: now)
        if start == windowStart, count > 0 { count -= 1 }
        return Decision(
            allowed: true, limit: limit.limit, remaining: limit.limit - count, reset: start.addingTimeInterval(length))
    }

    /// Counts the request when `limit` allows it; a refused request does not count.
    public mutating func admit(_ limit: RateLimit, now: Date) -> Decision {
        let length = TimeInterval(limit.window.seconds)
        let start = Self.windowStart(limit, now: now)
        if start != windowStart {
            (windowStart, count) = (start, 0)
        }
        let reset = start.addingTimeInterval(length)
        guard count < limit.limit else {
            return Decision(allowed: false, limit: limit.limit, remaining: 0, reset: reset)
        }
        count += 1
        return Decision(allowed: true, limit: limit.limit, remaining: limit.limit - count, reset: reset)
    }
}
