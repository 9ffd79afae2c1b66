import Foundation
import KeysmithCore
import KeysmithStore
import Logging
import Synchronization

/// One `SignInThrottle`, shared by every request that checks a password for the same purpose — on this node, or,
/// when the store is shared by several nodes, on all of them: then the throttle's windows live in the store
/// (`AttemptWindowStore`), and each decision loads the few it touches, so guesses spread over the nodes count as one.
final class SignInLimiter: Sendable {
    private enum Windows: Sendable {
        /// This node's throttle, in memory: it sees every attempt when there is one node.
        case local(LocalThrottle)
        /// The windows in the store the nodes share, named for `purpose` there.
        case shared(any AttemptWindowStore, purpose: String)
    }

    /// A `Mutex` cannot be copied, so an enum case holds it through a reference.
    private final class LocalThrottle: Sendable {
        let throttle: Mutex<SignInThrottle>
        init(_ limits: SignInThrottle.Limits) { throttle = Mutex(SignInThrottle(limits)) }
    }

    private let limits: SignInThrottle.Limits
    private let windows: Windows
    private let logger: Logger

    /// `purpose` names this throttle's windows in a shared store: sign-in, sign-up and the password re-check each
    /// keep their own budgets.
    init(
        _ limits: SignInThrottle.Limits, purpose: String, shared store: (any AttemptWindowStore)? = nil,
        logger: Logger = Logger(label: "keysmith")
    ) {
        self.limits = limits
        self.logger = logger
        windows = store.map { .shared($0, purpose: purpose) } ?? .local(LocalThrottle(limits))
    }

    /// Reserves an attempt before the hash runs, then waits out the slow-down an account under a spray has earned.
    /// `refused` carries the whole seconds for `Retry-After`.
    func admit(account: String?, origin: RequestOrigin, now: Date) async throws -> SignInThrottle.Admission {
        let address = origin.ip ?? "unknown"
        let admission = try await decide(keys: SignInThrottle.windowKeys(account: account, address: address), now: now) {
            $0.admit(account: account, address: address, now: now)
        }
        if case .admitted(let attempt) = admission, attempt.delay > 0 {
            try await Task.sleep(for: .seconds(attempt.delay))
        }
        return admission
    }

    /// The password was right: the reservation goes back. Best effort when the store is shared: the password check
    /// has passed, so a store that fails now costs the account a counted attempt, not its sign-in.
    func succeeded(_ attempt: SignInThrottle.Attempt, now: Date) async {
        do {
            try await decide(keys: SignInThrottle.windowKeys(of: attempt), now: now) { $0.succeeded(attempt) }
        } catch {
            logger.warning("could not give a sign-in attempt back", metadata: ["error": "\(error)"])
        }
    }

    /// Runs `decide` on this node's throttle, or on one that holds the stored windows under `keys` and stores what
    /// it left in them.
    @discardableResult
    private func decide<Decision: Sendable>(
        keys: [String], now: Date, _ decide: @escaping @Sendable (inout SignInThrottle) -> Decision
    ) async throws -> Decision {
        switch windows {
        case .local(let local):
            return local.throttle.withLock { decide(&$0) }
        case .shared(let store, let purpose):
            let limits = limits
            return try await store.updateAttemptWindows(
                purpose: purpose, keys: keys, expiredBefore: now.addingTimeInterval(-limits.window)
            ) { windows in
                var throttle = SignInThrottle(limits, windows: windows)
                let decision = decide(&throttle)
                return (throttle.windows(for: keys), decision)
            }
        }
    }
}
