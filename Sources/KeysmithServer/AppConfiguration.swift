import Argon2
import Foundation
import KeysmithCore
import NIOCore

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
    public var signInLimits = SignInLimits()
    public var timeouts = ConnectionTimeouts()
    public var clock = AppClock.system
    /// Reverse proxies whose `X-Forwarded-For` is believed; empty means the socket peer is the client.
    public var trustedProxies: [IPRange] = []
    /// Keys kept in memory for verification (DESIGN §7.2); the least recently used go first.
    public var keyCacheSize = 100_000
    /// Threads that run Argon2 (DESIGN §7.3): one per core.
    public var argon2Workers = System.coreCount
    /// Argon2 jobs that may wait for a worker before new ones are refused with 503.
    public var argon2QueueLimit = 4 * System.coreCount
    /// Unproven secrets that may be hashed per minute for one key id, and from one client address (DESIGN §7.4).
    public var failedSecretsPerKeyPerMinute = 10
    public var failedSecretsPerClientPerMinute = 60
    /// How long a throttled attempt waits for its answer (about one Argon2 run; zero in tests).
    public var throttledAnswerDelay = Duration.milliseconds(50)
    /// The most quota units one lease takes from the store (DESIGN §7.6).
    public var quotaLeaseSlice = 100
    /// Where the access log goes: standard output, or (tests) the application's logger.
    var accessLog = AccessLog.Destination.standardOutput
    /// How often counted uses are written (DESIGN §7.7): at most this much usage is lost on a crash.
    public var usageFlushInterval = Duration.seconds(1)

    /// Who may sign up (DESIGN §11): by invitation only, except the first person of an empty instance, or anyone.
    public var signupMode = SignupMode.invite

    public init() {}

    /// In-memory database, cheap Argon2 and the templates of this checkout: what the HTTP tests run on.
    public static var testing: AppConfiguration {
        var configuration = AppConfiguration()
        configuration.databasePath = nil
        configuration.port = 0
        configuration.argon2 = .testing
        configuration.throttledAnswerDelay = .zero
        configuration.accessLog = .logger
        // Most tests sign up several people; the invitation-only mode has tests of its own.
        configuration.signupMode = .open
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        configuration.templatesDirectory = root.appendingPathComponent("Templates").path
        configuration.publicDirectory = root.appendingPathComponent("Public").path
        return configuration
    }
}

/// `KEYSMITH_SIGNUP` / `--signup`.
public enum SignupMode: String, Sendable, CaseIterable {
    /// The first user of an empty instance signs up freely; later people need an invitation.
    case invite
    /// Anyone may sign up.
    case open
}
