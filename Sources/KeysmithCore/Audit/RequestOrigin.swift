/// Who made a request and where it came from, recorded with every audit entry.
public struct RequestOrigin: Sendable, Equatable {
    public var ip: String?
    public var userAgent: String?
    /// Set once the caller is known (a session's user, an admin key); `.system` before that.
    public var actor: AuditActor

    public init(ip: String?, userAgent: String?, actor: AuditActor = .system) {
        self.ip = ip
        self.userAgent = userAgent.map { String($0.prefix(300)) }
        self.actor = actor
    }

    public func by(_ actor: AuditActor) -> RequestOrigin {
        var origin = self
        origin.actor = actor
        return origin
    }

    public static let commandLine = RequestOrigin(ip: nil, userAgent: "keysmith CLI")
}
