import Foundation

/// Where a key was presented over some days: one gate and scope, how often and when last.
public struct GateUsage: Hashable, Sendable {
    public let gate: UsageGate
    /// The scope the gate asked for; "" for none, `UsageTally.otherScope` for the pairs past the tally's bound.
    public let scope: String
    public let count: Int
    public let lastSeen: Date

    public init(gate: UsageGate, scope: String, count: Int, lastSeen: Date) {
        (self.gate, self.scope, self.count, self.lastSeen) = (gate, scope, count, lastSeen)
    }
}
