import Foundation
import KeysmithCore

/// Password-check throttles shared by several nodes (DESIGN §9): the windows of `SignInThrottle`'s budgets, kept in
/// the store so that spreading guesses over the nodes gains nothing. Only a store several nodes share has one
/// (`Store.attemptWindows`); with SQLite, the one node's throttle in memory sees every attempt.
public protocol AttemptWindowStore: Sendable {
    /// Reads the windows kept for `purpose` under `keys`, hands them to `decide`, and keeps what it returns in their
    /// place (a key missing from its answer is deleted) — in one transaction, one at a time for each key across every
    /// node. Windows that started before `expiredBefore` are dropped on the way, so the table stays small.
    func updateAttemptWindows<Decision: Sendable>(
        purpose: String, keys: [String], expiredBefore: Date,
        _ decide: @Sendable ([String: AttemptWindow]) -> (windows: [String: AttemptWindow], decision: Decision)
    ) async throws -> Decision
}
