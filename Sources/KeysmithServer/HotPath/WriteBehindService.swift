import CoreMetrics
import Foundation
import KeysmithCore
import KeysmithStore
import Logging
import ServiceLifecycle

/// The hot path's writes, off the requests (DESIGN §7.6–7.7): counted uses go to the store at least every
/// `interval` in one transaction, and at shutdown — after the server has drained — the last uses and every unspent
/// quota lease. A crash loses at most one interval of usage statistics, never a key change (those are written
/// before their response).
struct WriteBehindService: Service {
    let usage: UsageRecorder
    let ledger: QuotaLedger
    let database: any UsageStore
    let interval: Duration
    let metrics: AppMetrics
    let clock: AppClock
    let logger: Logger
    /// One flush at a time: a flush that returns has written everything counted before it began, even what an
    /// earlier, still running flush had taken.
    let flushes = SerialGate()

    func run() async throws {
        // Cancelled (another service failed, e.g. the port was taken) ends the loop too: the sleep would return at
        // once and spin.
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            await flush()
        }
        await flush()
        do {
            try await ledger.returnUnspent()
        } catch {
            logger.error("could not return unspent quota", metadata: ["error": "\(error)"])
        }
    }

    /// Writes what has been counted; on failure keeps it for the next try.
    func flush() async {
        // The gate's operation cannot throw, so neither can the gate.
        try? await flushes.run { await flushOnce() }
    }

    private func flushOnce() async {
        let (tally, oldest) = usage.drain()
        guard !tally.isEmpty else {
            metrics.usageFlushLag.set(0)
            return
        }
        do {
            try await database.recordUsage(tally)
            metrics.usageFlushBatchSize.record(tally.useCount)
            metrics.usageFlushLag.set(oldest.map { max(0, clock.now().timeIntervalSince($0)) } ?? 0)
        } catch {
            usage.restore(tally, oldest: oldest)
            metrics.usageFlushFailures.increment()
            logger.error("could not write usage", metadata: ["error": "\(error)", "usage.count": "\(tally.useCount)"])
        }
    }
}
