import Argon2
import Dispatch

/// Runs Argon2id on a dedicated dispatch queue, so tens of milliseconds of hashing never block request handling.
///
/// The hot path of key verification (DESIGN §7) will bound this further; sign-in only needs it off the executor.
struct PasswordHasher: Sendable {
    let argon2: Argon2id
    private let queue = DispatchQueue(label: "keysmith.argon2", qos: .userInitiated, attributes: .concurrent)

    init(parameters: Argon2Parameters) {
        self.argon2 = Argon2id(parameters: parameters)
    }

    func hash(_ password: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { [argon2] in
                continuation.resume(with: Result { try argon2.hash(password) })
            }
        }
    }

    func verify(_ password: String, encoded: String) async -> Bool {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Argon2id.verify(password, encoded: encoded)) }
        }
    }

    /// Burns one hash's worth of time for an unknown email, so response time does not reveal which emails exist.
    func verifyAgainstDummy(_ password: String) async {
        _ = await verify(password, encoded: dummyHash)
    }

    func needsRehash(_ encoded: String) -> Bool { argon2.needsRehash(encoded) }

    private var dummyHash: String {
        let p = argon2.parameters
        return "$argon2id$v=19$m=\(p.memoryKiB),t=\(p.iterations),p=\(p.parallelism)$c2FsdHNhbHRzYWx0c2FsdA$"
            + "T95q7S205tf9WI4HhYOZDIQmMMAbntacGXTIku0gXT8"
    }
}
