import Argon2
import CoreMetrics
import Dispatch
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Where every Argon2id run of the process happens — key secrets, passwords, sign-up — so hashing can never take
/// more than `workers` threads, nor queue more than `queueLimit` jobs (DESIGN §7.3). A job that finds the queue
/// full is refused at once with `Argon2Overloaded` (503 with `Retry-After: 1`) instead of waiting behind a flood.
///
/// A service: it stops its threads once the server has drained.
final class Argon2Pool: Service, Sendable {
    let workers: Int
    let queueLimit: Int
    private let threads: NIOThreadPool
    /// Jobs running or waiting.
    private let admitted = Atomic<Int>(0)
    private let running = Atomic<Int>(0)
    private let metrics: AppMetrics

    init(workers: Int, queueLimit: Int, metrics: AppMetrics) {
        precondition(workers > 0 && queueLimit >= 0, "an Argon2 pool needs a worker")
        self.workers = workers
        self.queueLimit = queueLimit
        self.metrics = metrics
        threads = NIOThreadPool(numberOfThreads: workers)
        threads.start()
        Argon2id.returnMemoryAfterEachHash()
    }

    deinit {
        threads.shutdownGracefully { _ in }  // no-op when the service already stopped them
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await threads.shutdownGracefully()
    }

    /// Runs `work` on a worker thread, or throws `Argon2Overloaded` when `workers + queueLimit` jobs are in already.
    func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        let before = admitted.add(1, ordering: .relaxed).oldValue
        guard before < workers + queueLimit else {
            admitted.subtract(1, ordering: .relaxed)
            metrics.argon2Refused.increment()
            throw Argon2Overloaded()
        }
        defer {
            let left = admitted.subtract(1, ordering: .relaxed).newValue
            metrics.argon2Queued.set(max(0, left - running.load(ordering: .relaxed)))
        }
        metrics.argon2Queued.set(max(0, before + 1 - running.load(ordering: .relaxed)))
        return try await threads.runIfActive { [self] in
            metrics.argon2InFlight.set(running.add(1, ordering: .relaxed).newValue)
            defer { metrics.argon2InFlight.set(running.subtract(1, ordering: .relaxed).newValue) }
            let start = DispatchTime.now().uptimeNanoseconds
            defer { metrics.argon2Duration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start)) }
            return try work()
        }
    }

    /// Jobs running now and jobs waiting, for tests and `/metrics`.
    var load: (running: Int, waiting: Int) {
        let running = running.load(ordering: .relaxed)
        return (running, max(0, admitted.load(ordering: .relaxed) - running))
    }
}

/// The Argon2 pool's queue is full: answered 503 `OVERLOADED` with `Retry-After: 1`.
struct Argon2Overloaded: Error, Equatable {}
