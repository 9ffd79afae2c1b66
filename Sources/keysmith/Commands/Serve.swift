import Argon2
import Foundation
import Hummingbird
import KeysmithCore
import KeysmithSQLite
import KeysmithServer
import KeysmithStore
import Logging
import NIOCore

/// `keysmith serve`: the console and API on one port, until SIGINT/SIGTERM drain it.
struct Serve: KeysmithCommand {
    static let spec = CommandSpec(
        name: "serve",
        abstract: "Run the web console and API (the default command).",
        options: [
            .database,
            .value("host", "address", help: "Address to listen on (env KEYSMITH_HOST, default 127.0.0.1)."),
            .value("port", "port", help: "Port to listen on (env KEYSMITH_PORT, default 8080)."),
            .value(
                "trusted-proxy", "address or CIDR", repeatable: true,
                help:
                    "A reverse proxy whose X-Forwarded-For is believed; repeatable (env KEYSMITH_TRUSTED_PROXIES, comma-separated)."
            ),
            .value(
                "signup", "invite|open",
                help:
                    "Who may sign up: invite (the first person of an empty instance, then only with an invitation) or open (env KEYSMITH_SIGNUP, default invite)."
            ),
            .value(
                "idle-timeout", "seconds",
                help:
                    "Seconds a connection may take to send a complete request head, and stay idle between requests (env KEYSMITH_IDLE_TIMEOUT, default 20)."
            ),
            .value(
                "body-timeout", "seconds",
                help: "Seconds a request body may take to arrive after its head (env KEYSMITH_BODY_TIMEOUT, default 30)."),
        ])

    let database: DatabaseOptions
    let host: String?
    let port: Int?
    let trustedProxies: [String]
    let signup: String?
    let idleTimeout: Int?
    let bodyTimeout: Int?

    init(_ options: ParsedOptions) throws {
        database = DatabaseOptions(options)
        host = options.string("host")
        port = try options.int("port")
        if let port, !(1...65535).contains(port) { throw UsageError("--port must be between 1 and 65535") }
        trustedProxies = options.strings("trusted-proxy")
        signup = options.string("signup")
        idleTimeout = try options.int("idle-timeout")
        bodyTimeout = try options.int("body-timeout")
    }

    func run() async throws {
        let configuration = try resolvedConfiguration()
        let logger = Logger(label: "keysmith")
        let opened = try await database.open(logger: logger)
        // Tells `keysmith restore` that this SQLite file is in use; held until the process ends.
        var inUse: DatabaseFileLock?
        if !database.isPostgres {
            inUse = try DatabaseFileLock(path: database.resolved, mode: .shared)
            guard inUse != nil else {
                throw ConfigurationError("\(database.resolved) is being restored; start Keysmith when the restore is done")
            }
        }
        defer { withExtendedLifetime(inUse) {} }
        let application: any ApplicationProtocol
        do {
            application = try await buildApplication(
                configuration: configuration, database: opened, logger: logger)
        } catch {
            throw ConfigurationError("cannot start: \(error)")
        }
        // Returns once SIGINT/SIGTERM has drained the in-flight requests; only then is the database closed.
        do {
            try await application.runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            try await opened.close()
            throw ConfigurationError(
                "port \(configuration.port) on \(configuration.host) is already in use (another Keysmith?); stop it or pass --port"
            )
        }
        try await opened.close()
        logger.info("database closed", metadata: ["db.path": "\(database.displayName)"])
    }

    private func resolvedConfiguration() throws -> AppConfiguration {
        var configuration = AppConfiguration()
        configuration.host = host ?? EnvironmentSettings.string("KEYSMITH_HOST") ?? configuration.host
        configuration.port = try port ?? EnvironmentSettings.int("KEYSMITH_PORT") ?? configuration.port
        guard (1...65535).contains(configuration.port) else {
            throw ConfigurationError("KEYSMITH_PORT must be between 1 and 65535")
        }
        configuration.databasePath = database.displayName
        configuration.secureCookies = try EnvironmentSettings.bool("KEYSMITH_SECURE_COOKIES") ?? false
        configuration.templatesDirectory = EnvironmentSettings.string("KEYSMITH_TEMPLATES") ?? configuration.templatesDirectory
        configuration.publicDirectory = EnvironmentSettings.string("KEYSMITH_PUBLIC") ?? configuration.publicDirectory
        if let memory = try EnvironmentSettings.int("KEYSMITH_ARGON2_MEMORY_KIB") {
            guard (8...4_194_304).contains(memory) else {
                throw ConfigurationError("KEYSMITH_ARGON2_MEMORY_KIB must be 8…4194304")
            }
            configuration.argon2.memoryKiB = UInt32(memory)
        }
        if let iterations = try EnvironmentSettings.int("KEYSMITH_ARGON2_ITERATIONS") {
            guard (1...16).contains(iterations) else { throw ConfigurationError("KEYSMITH_ARGON2_ITERATIONS must be 1…16") }
            configuration.argon2.iterations = UInt32(iterations)
        }
        if let size = try EnvironmentSettings.int("KEYSMITH_KEY_CACHE_SIZE") {
            guard (1...10_000_000).contains(size) else { throw ConfigurationError("KEYSMITH_KEY_CACHE_SIZE must be 1…10000000") }
            configuration.keyCacheSize = size
        }
        if let workers = try EnvironmentSettings.int("KEYSMITH_ARGON2_WORKERS") {
            guard (1...256).contains(workers) else { throw ConfigurationError("KEYSMITH_ARGON2_WORKERS must be 1…256") }
            configuration.argon2Workers = workers
            configuration.argon2QueueLimit = 4 * workers
        }
        if let idle = try idleTimeout ?? EnvironmentSettings.int("KEYSMITH_IDLE_TIMEOUT") {
            guard (1...3_600).contains(idle) else { throw ConfigurationError("--idle-timeout must be 1…3600 seconds") }
            configuration.timeouts.idle = .seconds(idle)
        }
        if let body = try bodyTimeout ?? EnvironmentSettings.int("KEYSMITH_BODY_TIMEOUT") {
            guard (1...3_600).contains(body) else { throw ConfigurationError("--body-timeout must be 1…3600 seconds") }
            configuration.timeouts.body = .seconds(body)
        }
        if let mode = signup ?? EnvironmentSettings.string("KEYSMITH_SIGNUP") {
            guard let parsed = SignupMode(rawValue: mode) else {
                throw ConfigurationError("--signup / KEYSMITH_SIGNUP must be invite or open, not \(mode)")
            }
            configuration.signupMode = parsed
        }
        let proxies =
            trustedProxies.isEmpty
            ? (EnvironmentSettings.string("KEYSMITH_TRUSTED_PROXIES")?.split(separator: ",").map(String.init) ?? [])
            : trustedProxies
        configuration.trustedProxies = try proxies.map { text in
            switch IPRange.parse(text.trimmingCharacters(in: .whitespaces)) {
            case .success(let range): return range
            case .failure(let message): throw ConfigurationError("trusted proxy \(text): \(message.text)")
            }
        }
        guard FileManager.default.fileExists(atPath: configuration.templatesDirectory) else {
            throw ConfigurationError(
                "templates folder \(configuration.templatesDirectory) not found (run from the checkout or set KEYSMITH_TEMPLATES)"
            )
        }
        return configuration
    }
}
