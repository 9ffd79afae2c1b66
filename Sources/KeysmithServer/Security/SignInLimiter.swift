import Foundation
import KeysmithCore
import Synchronization

/// One `SignInThrottle`, shared by every request that checks a password for the same purpose.
final class SignInLimiter: Sendable {
    private let throttle: Mutex<SignInThrottle>

    init(_ limits: SignInThrottle.Limits) {
        throttle = Mutex(SignInThrottle(limits))
    }

    /// Reserves an attempt before the hash runs, then waits out the slow-down an account under a spray has earned.
    /// `refused` carries the whole seconds for `Retry-After`.
    func admit(account: String?, origin: RequestOrigin, now: Date) async throws -> SignInThrottle.Admission {
        let address = origin.ip ?? "unknown"
        let admission = throttle.withLock { $0.admit(account: account, address: address, now: now) }
        if case .admitted(let attempt) = admission, attempt.delay > 0 {
            try await Task.sleep(for: .seconds(attempt.delay))
        }
        return admission
    }

    func succeeded(_ attempt: SignInThrottle.Attempt) {
        throttle.withLock { $0.succeeded(attempt) }
    }
}
