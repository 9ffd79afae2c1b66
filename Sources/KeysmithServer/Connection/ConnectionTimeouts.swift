/// How long a connection may take to say what it wants (DESIGN §8, issue 14.6).
public struct ConnectionTimeouts: Sendable, Equatable {
    /// Until a complete request head arrives: a new connection, a keep-alive connection between requests, or a head
    /// sent a byte at a time.
    public var idle: Duration
    /// Until the whole body has arrived, counted from its head.
    public var body: Duration

    public init(idle: Duration = .seconds(20), body: Duration = .seconds(30)) {
        self.idle = idle
        self.body = body
    }
}
