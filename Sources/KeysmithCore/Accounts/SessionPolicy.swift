import Foundation

/// When a console session ends: after `idleTimeout` without a request, or `absoluteLifetime` after sign-in, whichever is first.
public struct SessionPolicy: Sendable {
    public var idleTimeout: TimeInterval
    public var absoluteLifetime: TimeInterval
    /// Last-seen times are written at most this often, so browsing is not a write per page.
    public var touchInterval: TimeInterval

    public static let standard = SessionPolicy(idleTimeout: 12 * 3600, absoluteLifetime: 30 * 86400, touchInterval: 60)

    public init(idleTimeout: TimeInterval, absoluteLifetime: TimeInterval, touchInterval: TimeInterval) {
        self.idleTimeout = idleTimeout
        self.absoluteLifetime = absoluteLifetime
        self.touchInterval = touchInterval
    }

    public func absoluteExpiry(signedInAt: Date) -> Date { signedInAt.addingTimeInterval(absoluteLifetime) }

    public func isExpired(lastSeenAt: Date, expiresAt: Date, now: Date) -> Bool {
        now >= expiresAt || now.timeIntervalSince(lastSeenAt) >= idleTimeout
    }

    public func needsTouch(lastSeenAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(lastSeenAt) >= touchInterval
    }
}
