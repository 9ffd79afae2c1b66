/// Who is signed in on this request, and the session that proves it.
public struct SignedInAccount: Sendable, Equatable {
    public let accountId: Int64
    public let email: String
    public let keyPrefix: String
    /// Hash of the session cookie, the session's primary key.
    let sessionId: String
    let csrfToken: String
}
