import Argon2
import CoreMetrics

/// Argon2id for passwords and key secrets, always on the one `Argon2Pool`, so sign-ins and verifications share its
/// bound: a full pool throws `Argon2Overloaded` rather than queueing without limit.
struct PasswordHasher: Sendable {
    let argon2: Argon2id
    let pool: Argon2Pool
    let metrics: AppMetrics

    init(parameters: Argon2Parameters, pool: Argon2Pool, metrics: AppMetrics) {
        self.argon2 = Argon2id(parameters: parameters)
        self.pool = pool
        self.metrics = metrics
    }

    func hash(_ password: String) async throws -> String {
        try await pool.run { [argon2, metrics] in
            metrics.argon2Runs.increment()
            return try argon2.hash(password)
        }
    }

    func verify(_ password: String, encoded: String) async throws -> Bool {
        try await firstMatch(password, among: [encoded]) != nil
    }

    /// The first of `hashes` that `secret` matches, checked in one job (usually one hash: see `KeySecrets`).
    func firstMatch(_ secret: String, among hashes: [String]) async throws -> String? {
        guard !hashes.isEmpty else { return nil }
        return try await pool.run { [metrics] in
            hashes.first { hash in
                metrics.argon2Runs.increment()
                return Argon2id.verify(secret, encoded: hash)
            }
        }
    }

    /// Burns one hash's worth of time for an unknown email, so response time does not reveal which emails exist.
    func verifyAgainstDummy(_ password: String) async throws {
        _ = try await verify(password, encoded: dummyHash)
    }

    func needsRehash(_ encoded: String) -> Bool { argon2.needsRehash(encoded) }

    private var dummyHash: String {
        let p = argon2.parameters
        return "$argon2id$v=19$m=\(p.memoryKiB),t=\(p.iterations),p=\(p.parallelism)$c2FsdHNhbHRzYWx0c2FsdA$"
            + "T95q7S205tf9WI4HhYOZDIQmMMAbntacGXTIku0gXT8"
    }
}
