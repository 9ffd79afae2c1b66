import Foundation
import KeysmithCore
import KeysmithStore
import Logging
import Synchronization

/// One `SignInThrottle`, shared by every request that checks a password for the same purpose — on this node, or,
/// when the store is shared by several nodes, on all of them: then the throttle's windows live in the store
/// (`AttemptWindowStore`), and each decision loads the few it touches, so guesses spread over the nodes count as one.
final class SignInLimiter: Sendable {
    private let limits: SignInThrottle.Limits
    private let local: Mutex<SignInThrottle>
    private let shared: (store: any AttemptWindowStore, purpose: String)?
    private let logger: Logger

    /// `purpose` names this throttle's windows in a shared store: sign-in, sign-up and the password re-check each
    /// keep their own budgets.
    init(
        _ limits: SignInThrottle.Limits, purpose: String, shared store: (any AttemptWindowStore)? = nil,
        logger: Logger = Logger(label: "keysmith")
    ) {
        self.limits = limits
        self.logger = logger
        local = Mutex(SignInThrottle(limits))
        shared = store.map { ($0, purpose) }
    }

    /// Reserves an attempt before the hash runs, then waits out the slow-down an account under a spray has earned.
    /// `refused` carries the whole seconds for `Retry-After`.
    func admit(account: String?, origin: RequestOrigin, now: Date) async throws -> SignInThrottle.Admission {
        let address = origin.ip ?? "unknown"
        let admission: SignInThrottle.Admission
        if shared != nil {
            let keys = SignInThrottle.windowKeys(account: account, address: address)
            admission = try await decideShared(keys: keys, now: now) { throttle in
                throttle.admit(account: account, address: address, now: now)
            }
        } else {
            admission = local.withLock { $0.admit(account: account, address: address, now: now) }
        }
        if case .admitted(let attempt) = admission, attempt.delay > 0 {
            try await Task.sleep(for: .seconds(attempt.delay))
        }
        return admission
    }

    /// The password was right: the reservation goes back. Best effort when the store is shared: the password check
    /// has passed, so a store that fails now costs the account a counted attempt, not its sign-in.
    func succeeded(_ attempt: SignInThrottle.Attempt, now: Date) async {
        guard shared != nil else {
            local.withLock { $0.succeeded(attempt) }
            return
        }
        do {
            try await decideShared(keys: SignInThrottle.windowKeys(of: attempt), now: now) { $0.succeeded(attempt) }
        } catch {
            logger.warning("could not give a sign-in attempt back", metadata: ["error": "\(error)"])
        }
    }

    /// Runs `decide` on a throttle that holds the stored windows under `keys`, and stores what it left in them.
    @discardableResult
    private func decideShared<Decision: Sendable>(
        keys: [String], now: Date, _ decide: @escaping @Sendable (inout SignInThrottle) -> Decision
    ) async throws -> Decision {
        guard let shared else { preconditionFailure("only a limiter with a shared store decides through it") }
        let limits = limits
        return try await shared.store.updateAttemptWindows(
            purpose: shared.purpose, keys: keys, expiredBefore: now.addingTimeInterval(-limits.window)
        ) { windows in
            var throttle = SignInThrottle(limits, windows: windows)
            let decision = decide(&throttle)
            return (throttle.windows(for: keys), decision)
        }
    }
}
