import KeysmithCore

/// Who is signed in on this request, and the session that proves it.
public struct SignedInAccount: Sendable, Equatable {
    public let accountId: Int64
    public let email: String
    /// Hash of the session cookie, the session's primary key.
    let sessionId: String
    let csrfToken: String
    /// The console's current workspace and project as the session remembers them (checked against the membership).
    let sessionWorkspace: WorkspaceID?
    let sessionProject: ProjectID?

    var actor: AuditActor { .user(id: accountId, email: email) }
}
