import CoreMetrics
import KeysmithCore
import Prometheus
import Synchronization

/// The series `/metrics` shows (DESIGN §7.9), made through swift-metrics on a registry of this application's own,
/// so two applications in one process (the tests) never share counts.
final class AppMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    private let verificationsByCode: [VerificationCode: CoreMetrics.Counter]
    let keyCacheHits: CoreMetrics.Counter
    let keyCacheMisses: CoreMetrics.Counter
    /// Ids the filter (or the memory of recent misses) proved unknown: answered without a database read.
    let keyCacheAbsent: CoreMetrics.Counter
    let keyCacheSize: Meter
    /// 1 while the store's change feed reports every other node's key change (several nodes only), else 0.
    let keyChangeFeedFollowing: Meter
    /// Other nodes' key changes applied to this node's cache.
    let keyChangesApplied: CoreMetrics.Counter
    let keyStoreReads: CoreMetrics.Counter
    let provenSecretHits: CoreMetrics.Counter
    let argon2Runs: CoreMetrics.Counter
    let argon2InFlight: Meter
    let argon2Queued: Meter
    let argon2Refused: CoreMetrics.Counter
    let argon2Duration: CoreMetrics.Timer
    let verificationThrottled: CoreMetrics.Counter
    let quotaLeases: CoreMetrics.Counter
    let usageFlushLag: Meter
    let usageFlushBatchSize: Recorder
    let usageFlushFailures: CoreMetrics.Counter
    private let requestDurations = Mutex<[RouteStatus: CoreMetrics.Timer]>([:])

    private struct RouteStatus: Hashable {
        let route: String
        let status: Int
    }

    init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // Keysmith answers in microseconds to milliseconds; Argon2 takes tens of milliseconds.
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
        ]
        factory.valueHistogramBuckets["keysmith_usage_flush_batch_size"] = [1, 10, 100, 1_000, 10_000, 100_000]
        self.factory = factory
        func counter(_ label: String, _ dimensions: [(String, String)] = []) -> CoreMetrics.Counter {
            CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory)
        }
        func gauge(_ label: String) -> Meter { Meter(label: label, factory: factory) }
        verificationsByCode = Dictionary(
            uniqueKeysWithValues: VerificationCode.allCases.map {
                ($0, counter("keysmith_verifications_total", [("code", $0.rawValue)]))
            })
        keyCacheHits = counter("keysmith_key_cache_hits_total")
        keyCacheMisses = counter("keysmith_key_cache_misses_total")
        keyCacheAbsent = counter("keysmith_key_cache_absent_total")
        keyCacheSize = gauge("keysmith_key_cache_size")
        keyChangeFeedFollowing = gauge("keysmith_key_change_feed_following")
        keyChangesApplied = counter("keysmith_key_changes_applied_total")
        keyStoreReads = counter("keysmith_key_store_reads_total")
        provenSecretHits = counter("keysmith_proven_secret_hits_total")
        argon2Runs = counter("keysmith_argon2_runs_total")
        argon2InFlight = gauge("keysmith_argon2_in_flight")
        argon2Queued = gauge("keysmith_argon2_queued")
        argon2Refused = counter("keysmith_argon2_refused_total")
        argon2Duration = CoreMetrics.Timer(label: "keysmith_argon2_duration_seconds", factory: factory)
        verificationThrottled = counter("keysmith_verification_throttled_total")
        quotaLeases = counter("keysmith_quota_leases_total")
        usageFlushLag = gauge("keysmith_usage_flush_lag_seconds")
        usageFlushBatchSize = Recorder(label: "keysmith_usage_flush_batch_size", aggregate: true, factory: factory)
        usageFlushFailures = counter("keysmith_usage_flush_failures_total")
    }

    func verified(_ code: VerificationCode) {
        verificationsByCode[code]?.increment()
    }

    /// The duration series of one route and status, made once and reused.
    func requestDuration(route: String, status: Int) -> CoreMetrics.Timer {
        let key = RouteStatus(route: route, status: status)
        return requestDurations.withLock { timers in
            if let timer = timers[key] { return timer }
            let timer = CoreMetrics.Timer(
                label: "keysmith_http_request_duration_seconds", dimensions: [("route", route), ("status", String(status))],
                factory: factory
            )
            timers[key] = timer
            return timer
        }
    }

    /// Prometheus text exposition of every series.
    func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return buffer
    }
}
