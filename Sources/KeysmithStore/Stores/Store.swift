/// Everything Keysmith keeps, behind one value: SQLite (`KeysmithSQLite`, the embedded default) or PostgreSQL. The
/// server holds a `Store`; each part of it that needs only one area takes that area's protocol.
public protocol Store: AccountStore, SessionStore, WorkspaceStore, ProjectStore, KeyStore, UsageStore, AdminKeyStore,
    AuditStore, ServerSecretStore
{
    /// A trivial read that fails when the store is unusable, for the health check.
    func ping() async throws

    /// Closes the connections; at shutdown, once the server has drained its requests.
    func close() async throws

    /// Changes other nodes make, when several nodes can share this store.
    var keyChanges: (any KeyChangeFeed)? { get }

    /// Rate-limit windows the nodes share, when several nodes can share this store.
    var rateWindows: (any RateWindowStore)? { get }

    /// Sign-in throttle windows the nodes share, when several nodes can share this store.
    var attemptWindows: (any AttemptWindowStore)? { get }
}

extension Store {
    public var keyChanges: (any KeyChangeFeed)? { nil }
    public var rateWindows: (any RateWindowStore)? { nil }
    public var attemptWindows: (any AttemptWindowStore)? { nil }
}
