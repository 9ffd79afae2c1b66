import Foundation
import KeysmithCore
import KeysmithStore
import KeysmithTestStores
import Testing

private let now = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
private let origin = RequestOrigin(ip: "192.0.2.1", userAgent: "tests")

/// The usage tables the hot path's write-behind fills: outcomes per day, gates and client addresses.
struct KeyUsageStoreTests {
    @Test func outcomesAddUpAcrossBatchesAndAreReadZeroFilledOldestFirst() async throws {
        let store = try await KeyStore()
        let key = try await store.key("Busy", in: try await store.account())
        var first = UsageTally()
        for _ in 0..<3 { first.record(keyID: key.id.value, at: now, ip: "203.0.113.7", outcome: .valid, gate: .whoami) }
        first.record(keyID: key.id.value, at: now, ip: "203.0.113.7", outcome: .refused, gate: .whoami)
        var second = UsageTally()
        second.record(keyID: key.id.value, at: now, ip: "203.0.113.7", outcome: .rateLimited, gate: .whoami)
        second.record(keyID: key.id.value, at: now.addingTimeInterval(-86_400), ip: nil, outcome: .refused, gate: .verify)

        try await store.database.recordUsage(first)
        try await store.database.recordUsage(second)
        let usage = try await store.database.dailyUsage(id: key.id.value, days: 30, now: now)

        #expect(usage.count == 30)
        #expect(usage.last == DailyUsage(day: "2027-01-15", outcomes: .init(valid: 3, refused: 1, rateLimited: 1)))
        #expect(usage.dropLast().last == DailyUsage(day: "2027-01-14", outcomes: .init(valid: 0, refused: 1, rateLimited: 0)))
        #expect(usage.dropLast(2).allSatisfy { $0.outcomes.total == 0 })
        // The API's usage endpoint keeps counting valid requests only.
        #expect(try await store.database.keyUsage(id: key.id.value, days: 2, now: now).map(\.count) == [0, 3])
    }

    @Test func gatesAndClientsAreSummedOverTheDaysBusiestFirstWithTheirLastSeen() async throws {
        let store = try await KeyStore()
        let key = try await store.key("Gated", in: try await store.account())
        let id = key.id.value
        var tally = UsageTally()
        let earlier = now.addingTimeInterval(-86_400)
        tally.record(keyID: id, at: earlier, ip: "198.51.100.1", outcome: .valid, gate: .forwardAuth, scope: "orders:read")
        tally.record(keyID: id, at: now, ip: "198.51.100.1", outcome: .refused, gate: .forwardAuth, scope: "orders:read")
        tally.record(keyID: id, at: earlier, ip: "203.0.113.9", outcome: .valid, gate: .verify)
        tally.record(keyID: id, at: now.addingTimeInterval(-40 * 86_400), ip: "192.0.2.1", outcome: .valid, gate: .whoami)

        try await store.database.recordUsage(tally)
        let places = try await store.database.usagePlaces(id: id, days: 30, now: now)

        #expect(
            places.gates == [
                GateUsage(gate: .forwardAuth, scope: "orders:read", count: 2, lastSeen: now),
                GateUsage(gate: .verify, scope: "", count: 1, lastSeen: earlier),
            ])
        #expect(
            places.clients == [
                ClientUsage(ip: "198.51.100.1", count: 2, lastSeen: now),
                ClientUsage(ip: "203.0.113.9", count: 1, lastSeen: earlier),
            ])
    }

    @Test func aDaysClientAddressesStayBoundedAcrossBatches() async throws {
        let store = try await KeyStore()
        let key = try await store.key("Leaked", in: try await store.account())
        let id = key.id.value

        // Each batch brings new addresses; the tally bounds one batch, the store the day.
        for batch in 0..<3 {
            var tally = UsageTally()
            for index in 0..<15 {
                tally.record(keyID: id, at: now, ip: "198.51.\(batch).\(index)", outcome: .refused, gate: .whoami)
            }
            try await store.database.recordUsage(tally)
        }

        let clients = try await store.database.usagePlaces(id: id, days: 1, clientLimit: 1_000, now: now).clients
        #expect(clients.count == UsageTally.placeLimit + 1)
        #expect(clients.reduce(0) { $0 + $1.count } == 45)
        #expect(clients.first { $0.ip == UsageTally.otherClients }?.count == 45 - UsageTally.placeLimit)
    }

    @Test func aDaysGatesStayBoundedAcrossBatchesAndKnownOnesKeepCounting() async throws {
        let store = try await KeyStore()
        let key = try await store.key("Scoped", in: try await store.account())
        let id = key.id.value

        // 15 scopes a batch on forward-auth; the second batch also brings the first's busiest scope back.
        for batch in 0..<3 {
            var tally = UsageTally()
            for index in 0..<15 {
                tally.record(keyID: id, at: now, ip: nil, outcome: .valid, gate: .forwardAuth, scope: "s\(batch).\(index)")
            }
            if batch > 0 { tally.record(keyID: id, at: now, ip: nil, outcome: .valid, gate: .forwardAuth, scope: "s0.0") }
            try await store.database.recordUsage(tally)
        }

        let gates = try await store.database.usagePlaces(id: id, days: 1, now: now).gates
        #expect(gates.filter { $0.scope != UsageTally.otherScope }.count == UsageTally.placeLimit)
        #expect(gates.reduce(0) { $0 + $1.count } == 47)
        #expect(gates.first { $0.scope == "s0.0" }?.count == 3)
        #expect(gates.first { $0.scope == UsageTally.otherScope }?.count == 45 - UsageTally.placeLimit)
    }

    @Test func deletingAKeyRemovesItsGatesAndClients() async throws {
        let store = try await KeyStore()
        let ann = try await store.account()
        let key = try await store.key("Doomed", in: ann)
        var tally = UsageTally()
        tally.record(keyID: key.id.value, at: now, ip: "203.0.113.7", outcome: .valid, gate: .whoami)
        try await store.database.recordUsage(tally)
        #expect(try await TestStore.rowCount(of: .keyUsageGate, in: store.database) == 1)

        try await store.database.deleteKey(id: key.id.value, workspaceID: ann.workspaceId, origin: origin, now: now)

        #expect(try await TestStore.rowCount(of: .keyUsageGate, in: store.database) == 0)
        #expect(try await TestStore.rowCount(of: .keyUsageClient, in: store.database) == 0)
    }
}
