import Foundation

/// The server's source of "now", injected so tests can move time (session expiry, throttling) without sleeping.
public struct AppClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = AppClock { Date() }
}
