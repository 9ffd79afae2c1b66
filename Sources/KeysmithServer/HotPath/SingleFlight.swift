import Synchronization

/// One run at a time per key: callers asking for a key whose work is already running wait for that run's answer
/// instead of starting their own. The hot path uses it so a burst of requests for one key, just after a restart,
/// costs one store read and one Argon2 proof rather than one per request — and the waiters take nothing from the
/// key id's failure budget.
final class SingleFlight<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let running = Mutex<[Key: Task<Value, any Error>]>([:])

    func run(_ key: Key, _ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let task = running.withLock { running in
            if let task = running[key] { return task }
            let task = Task { [self] in
                defer { _ = self.running.withLock { $0.removeValue(forKey: key) } }
                return try await work()
            }
            running[key] = task
            return task
        }
        return try await task.value
    }
}

/// A secret presented for a key, as `SingleFlight` tells proofs apart.
struct ProofAttempt: Hashable, Sendable {
    let keyID: String
    let digest: SecretDigest
}

/// A store read of a key, shared only by requests that looked the key up at the same cache generation.
struct KeyLoad: Hashable, Sendable {
    let keyID: String
    let generation: UInt64
}
