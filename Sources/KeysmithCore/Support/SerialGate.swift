import Synchronization

/// Runs one asynchronous operation at a time, in the order they arrived: an async mutex. The PostgreSQL store sends
/// a node's writes through one, as SQLite's single writer does, and the write-behind its flushes.
public final class SerialGate: Sendable {
    private struct State {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    public init() {}

    public func run<Result>(_ operation: () async throws -> Result) async throws -> Result {
        await enter()
        defer { leave() }
        return try await operation()
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enterNow = state.withLock { state in
                guard state.busy else {
                    state.busy = true
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if enterNow { continuation.resume() }
        }
    }

    /// Hands the gate straight to the next in line (it stays busy), or opens it.
    private func leave() {
        let next = state.withLock { state in
            guard !state.waiting.isEmpty else {
                state.busy = false
                return nil as CheckedContinuation<Void, Never>?
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
