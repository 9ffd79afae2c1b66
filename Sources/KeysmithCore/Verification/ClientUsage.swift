import Foundation

/// A client address a key was presented from over some days, how often and when last.
public struct ClientUsage: Hashable, Sendable {
    /// `UsageTally.otherClients` ("") for unknown addresses and those past the tally's bound.
    public let ip: String
    public let count: Int
    public let lastSeen: Date

    public init(ip: String, count: Int, lastSeen: Date) {
        (self.ip, self.count, self.lastSeen) = (ip, count, lastSeen)
    }
}
