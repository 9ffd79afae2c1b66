import Logging
import ServiceLifecycle
import Synchronization

/// The access log, kept off the request path: a request appends a small entry under a lock; this service writes
/// the entries out in batches a few times a second, and the rest at shutdown. Paths are logged without their query
/// string, which may carry a pasted token (DESIGN §8). Past `capacity` waiting entries, new ones are counted and
/// dropped rather than slowing requests down.
final class AccessLog: Service, Sendable {
    struct Entry: Sendable {
        let method: String
        let path: String
        let status: Int
        let durationMicroseconds: Int
    }

    private struct Buffer {
        var entries: [Entry] = []
        var dropped = 0
    }

    private let buffer = Mutex(Buffer())
    private let logger: Logger
    private let interval: Duration
    let capacity: Int

    init(logger: Logger, interval: Duration = .milliseconds(200), capacity: Int = 50_000) {
        self.logger = logger
        self.interval = interval
        self.capacity = capacity
    }

    func append(_ entry: Entry) {
        buffer.withLock { buffer in
            if buffer.entries.count < capacity {
                buffer.entries.append(entry)
            } else {
                buffer.dropped += 1
            }
        }
    }

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
            write()
        }
        write()
    }

    /// Writes everything waiting; also called by tests that read the log.
    func write() {
        let (entries, dropped) = buffer.withLock { buffer in
            defer { buffer = Buffer() }
            return (buffer.entries, buffer.dropped)
        }
        for entry in entries {
            logger.info(
                "request",
                metadata: [
                    "http.method": "\(entry.method)", "http.path": "\(entry.path)", "http.status": "\(entry.status)",
                    "http.duration_us": "\(entry.durationMicroseconds)",
                ])
        }
        if dropped > 0 { logger.warning("access log entries dropped", metadata: ["count": "\(dropped)"]) }
    }
}
