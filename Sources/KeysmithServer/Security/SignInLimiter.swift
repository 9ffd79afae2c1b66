import Foundation
import KeysmithCore
import Synchronization

/// Shared, thread-safe failure counts for sign-in and sign-up, keyed by client IP and by email.
final class SignInLimiter: Sendable {
    private let throttle: Mutex<FailureThrottle>

    init(_ throttle: FailureThrottle) {
        self.throttle = Mutex(throttle)
    }

    /// Seconds to wait when any of the keys is over its limit.
    func retryAfter(_ keys: [String], now: Date) -> Int? {
        throttle.withLock { throttle in
            keys.compactMap { throttle.retryAfter($0, now: now) }.max().map { Int($0.rounded(.up)) }
        }
    }

    func recordFailure(_ keys: [String], now: Date) {
        throttle.withLock { throttle in
            for key in keys { throttle.recordFailure(key, now: now) }
        }
    }

    func reset(_ key: String) {
        throttle.withLock { $0.reset(key) }
    }
}
