import Foundation
import KeysmithCore

/// Signed-in browsers and their console selection.
public protocol SessionStore: Sendable {
    /// Records a successful sign-in: the new session and its audit entry, together. Also sweeps expired sessions.
    func signIn(_ session: SessionRecord, policy: SessionPolicy, origin: RequestOrigin, now: Date) async throws

    func signedInSession(id: String) async throws -> SignedInSession?

    func touchSession(id: String, now: Date) async throws

    /// Ends a session without an audit entry: for sessions found expired.
    func deleteSession(id: String) async throws

    func signOut(sessionId: String, accountId: Int64, origin: RequestOrigin, now: Date) async throws

    @discardableResult
    func signOutOtherSessions(accountId: Int64, keeping sessionId: String, origin: RequestOrigin, now: Date)
        async throws -> Int

    /// The account's live sessions, most recently used first.
    func sessions(accountId: Int64, policy: SessionPolicy, now: Date) async throws -> [SessionRecord]

    /// Remembers the console's current workspace and project for the session (checked on every request against the
    /// membership, so a stale choice falls back rather than grants anything).
    func selectWorkspace(sessionId: String, workspace: WorkspaceID, project: ProjectID?) async throws
}
