/// Where a request came from, recorded with every audit entry.
public struct RequestOrigin: Sendable, Equatable {
    public var ip: String?
    public var userAgent: String?

    public init(ip: String?, userAgent: String?) {
        self.ip = ip
        self.userAgent = userAgent.map { String($0.prefix(300)) }
    }

    public static let commandLine = RequestOrigin(ip: nil, userAgent: "keysmith CLI")
}
