import Foundation
import KeysmithCore
import Logging
import ServiceLifecycle
import Synchronization

/// The access log, kept off the request path: a request appends a small entry under a lock; this service writes
/// the entries out in batches a few times a second, and the rest at shutdown. Paths are logged without their query
/// string, which may carry a pasted token (DESIGN §8). Past `capacity` waiting entries, new ones are counted and
/// dropped rather than slowing requests down.
final class AccessLog: Service, Sendable {
    /// Where the lines go: standard output in one write per batch (swift-log's stream handler formats and locks
    /// per line, a tenth of a fast request's cost), or a `Logger` (tests read it).
    enum Destination: Sendable {
        case standardOutput
        case logger
    }

    struct Entry: Sendable {
        let at: Date
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
    private let destination: Destination
    private let logger: Logger
    private let interval: Duration
    let capacity: Int

    init(_ destination: Destination, logger: Logger, interval: Duration = .milliseconds(200), capacity: Int = 50_000) {
        self.destination = destination
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
        // Cancelled (another service failed, e.g. the port was taken) ends the loop too: the sleep would return at
        // once and spin.
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
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
        switch destination {
        case .logger:
            for entry in entries {
                logger.info(
                    "request",
                    metadata: [
                        "http.method": "\(entry.method)", "http.path": "\(entry.path)", "http.status": "\(entry.status)",
                        "http.duration_us": "\(entry.durationMicroseconds)",
                    ])
            }
        case .standardOutput:
            guard !entries.isEmpty else { break }
            var text = ""
            text.reserveCapacity(entries.count * 120)
            var stamp = (second: -1, text: "")  // a batch spans a second or two: format each once
            for entry in entries {
                let second = Int(entry.at.timeIntervalSince1970)
                if second != stamp.second { stamp = (second, RFC3339.string(from: entry.at)) }
                text += "\(stamp.text) info keysmith.access: http.duration_us=\(entry.durationMicroseconds)"
                text += " http.method=\(entry.method) http.path=\(entry.path) http.status=\(entry.status) request\n"
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        if dropped > 0 { logger.warning("access log entries dropped", metadata: ["count": "\(dropped)"]) }
    }
}
