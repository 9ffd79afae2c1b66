import Argon2
import Foundation
import KeysmithCore

/// Everything the server is told from outside: flags, environment and, in tests, the clock.
public struct AppConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// nil keeps everything in memory (tests).
    public var databasePath: String? = "data/keysmith.sqlite"
    public var templatesDirectory = "Templates"
    public var publicDirectory = "Public"
    /// Adds `Secure` to cookies; turn on whenever the console is served over HTTPS.
    public var secureCookies = false
    public var argon2 = Argon2Parameters.default
    public var sessionPolicy = SessionPolicy.standard
    public var signInThrottle = FailureThrottle(maxFailures: 10, window: 15 * 60)
    public var clock = AppClock.system
    /// Reverse proxies whose `X-Forwarded-For` is believed; empty means the socket peer is the client.
    public var trustedProxies: [IPRange] = []

    public init() {}

    /// In-memory database, cheap Argon2 and the templates of this checkout: what the HTTP tests run on.
    public static var testing: AppConfiguration {
        var configuration = AppConfiguration()
        configuration.databasePath = nil
        configuration.port = 0
        configuration.argon2 = .testing
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        configuration.templatesDirectory = root.appendingPathComponent("Templates").path
        configuration.publicDirectory = root.appendingPathComponent("Public").path
        return configuration
    }
}
