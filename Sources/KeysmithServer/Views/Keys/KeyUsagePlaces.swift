import Foundation
import KeysmithCore

/// "Where it was used": the gates a key was presented to (and with which scope), and the client addresses it came
/// from, with counts and when last — valid and refused requests alike, so a leaked key's new callers show up here.
struct KeyUsagePlaces: Sendable {
    struct GateRow: Sendable {
        let gate: String
        let endpoint: String
        let scope: String?
        let count: String
        let lastSeen: DisplayDate
    }

    struct ClientRow: Sendable {
        /// nil for the catch-all row (unknown addresses, or more than the tally keeps apart).
        let ip: String?
        let count: String
        let lastSeen: DisplayDate
    }

    let gates: [GateRow]
    let clients: [ClientRow]
    let isEmpty: Bool

    init(gates: [GateUsage], clients: [ClientUsage], now: Date) {
        self.gates = gates.map { usage in
            GateRow(
                gate: Self.name(of: usage.gate), endpoint: Self.endpoint(of: usage.gate),
                scope: usage.scope.isEmpty ? nil : usage.scope == UsageTally.otherScope ? "other scopes" : usage.scope,
                count: usage.count.grouped, lastSeen: DisplayDate(usage.lastSeen, now: now))
        }
        self.clients = clients.map { usage in
            ClientRow(
                ip: usage.ip == UsageTally.otherClients ? nil : usage.ip, count: usage.count.grouped,
                lastSeen: DisplayDate(usage.lastSeen, now: now))
        }
        isEmpty = gates.isEmpty && clients.isEmpty
    }

    static func name(of gate: UsageGate) -> String {
        switch gate {
        case .verify: "Verify"
        case .whoami: "Who am I"
        case .forwardAuth: "Forward auth"
        }
    }

    static func endpoint(of gate: UsageGate) -> String {
        switch gate {
        case .verify: "POST /api/v1/keys/verify"
        case .whoami: "GET /api/v1/whoami"
        case .forwardAuth: "GET /api/v1/auth"
        }
    }
}
