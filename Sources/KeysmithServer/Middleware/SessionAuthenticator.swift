import Hummingbird
import HummingbirdAuth
import KeysmithCore
import KeysmithStore

/// Answers "who is this?" from the session cookie: a live session in the database, not idle or too old.
struct SessionAuthenticator: AuthenticatorMiddleware {
    typealias Context = AppRequestContext

    let database: any SessionStore
    let policy: SessionPolicy
    let clock: AppClock

    func authenticate(request: Request, context: Context) async throws -> SignedInAccount? {
        guard let token = request.cookies[CookieNames.session]?.value, (1...128).contains(token.utf8.count) else { return nil }
        let sessionId = RandomToken.hash(token)
        guard let signedIn = try await database.signedInSession(id: sessionId) else { return nil }
        let session = signedIn.session
        let now = clock.now()
        if policy.isExpired(lastSeenAt: session.lastSeenAt, expiresAt: session.expiresAt, now: now) {
            try await database.deleteSession(id: sessionId)
            return nil
        }
        if policy.needsTouch(lastSeenAt: session.lastSeenAt, now: now) {
            try await database.touchSession(id: sessionId, now: now)
        }
        return SignedInAccount(
            accountId: session.accountId, email: signedIn.account.email, sessionId: sessionId, csrfToken: session.csrfToken,
            sessionWorkspace: session.workspaceId, sessionProject: session.projectId
        )
    }
}
