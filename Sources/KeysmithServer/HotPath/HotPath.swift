import Foundation
import KeysmithStore
import Logging

/// DESIGN §7's parts, made once per application and wired to each other: the verifier reads through them, the
/// writer keeps them current, the write-behind service persists what they count.
struct HotPath: Sendable {
    let argon2Pool: Argon2Pool
    let hasher: PasswordHasher
    let cache: KeyCache
    let ledger: QuotaLedger
    let writer: KeyWriter
    let verifier: KeyVerifier
    let adminKeys: AdminKeyAuthenticator
    let writeBehind: WriteBehindService
    /// With a store several nodes share: other nodes' key changes, applied to the cache.
    let keyChanges: KeyChangeFollower?

    /// Loads every key id into the cache's filter: the one database read the start pays for verification.
    init(configuration: AppConfiguration, database: any Store, metrics: AppMetrics, logger: Logger) async throws {
        argon2Pool = Argon2Pool(
            workers: configuration.argon2Workers, queueLimit: configuration.argon2QueueLimit, metrics: metrics)
        hasher = PasswordHasher(parameters: configuration.argon2, pool: argon2Pool, metrics: metrics)
        cache = KeyCache(capacity: configuration.keyCacheSize, knownIDs: try await database.allKeyIDs(), metrics: metrics)
        ledger = QuotaLedger(database: database, maxSlice: configuration.quotaLeaseSlice, metrics: metrics)
        let limiter = RateLimiter(shared: database.rateWindows)
        let usage = UsageRecorder()
        writer = KeyWriter(
            database: database, hasher: hasher, cache: cache, ledger: ledger, limiter: limiter, clock: configuration.clock)
        let digester = SecretDigester()
        let throttle = VerificationThrottle(
            perKeyID: configuration.failedSecretsPerKeyPerMinute, perClientIP: configuration.failedSecretsPerClientPerMinute)
        verifier = KeyVerifier(
            database: database, cache: cache, hasher: hasher, digester: digester, loads: SingleFlight(),
            proofs: SingleFlight(), throttle: throttle,
            limiter: limiter, ledger: ledger, usage: usage, writer: writer, metrics: metrics, clock: configuration.clock,
            throttledAnswerDelay: configuration.throttledAnswerDelay
        )
        adminKeys = AdminKeyAuthenticator(
            database: database, hasher: hasher, digester: digester, throttle: throttle, clock: configuration.clock)
        writeBehind = WriteBehindService(
            usage: usage, ledger: ledger, database: database, interval: configuration.usageFlushInterval, metrics: metrics,
            clock: configuration.clock, logger: logger
        )
        if let feed = database.keyChanges {
            keyChanges = KeyChangeFollower(
                feed: feed, cache: cache, ledger: ledger, database: database, metrics: metrics, logger: logger)
            cache.setTrust(KeyChangeFollower.initialTrust)
        } else {
            keyChanges = nil
        }
    }
}
