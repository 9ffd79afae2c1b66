import Foundation
import KeysmithCore
import Testing

struct UsageTallyTests {
    private let noon = Date(timeIntervalSince1970: 1_800_000_000)  // 2027-01-15T08:00:00Z
    private var day: Int { Int(noon.timeIntervalSince1970 / 86_400) }

    @Test func outcomesAreCountedApartPerKeyAndDay() {
        var tally = UsageTally()

        for _ in 0..<3 { tally.record(keyID: "k1", at: noon, ip: "203.0.113.7", outcome: .valid, gate: .whoami) }
        tally.record(keyID: "k1", at: noon, ip: "203.0.113.7", outcome: .refused, gate: .whoami)
        tally.record(keyID: "k1", at: noon, ip: "203.0.113.7", outcome: .rateLimited, gate: .whoami)
        tally.record(keyID: "k1", at: noon.addingTimeInterval(86_400), ip: nil, outcome: .valid, gate: .verify)

        let today = tally.days[UsageTally.KeyDay(keyID: "k1", day: day)]
        #expect(today?.outcomes == UsageTally.Outcomes(valid: 3, refused: 1, rateLimited: 1))
        #expect(tally.days[UsageTally.KeyDay(keyID: "k1", day: day + 1)]?.outcomes.valid == 1)
        #expect(tally.useCount == 6)
    }

    @Test func onlyAValidUseBecomesTheLastUse() {
        var tally = UsageTally()

        tally.record(keyID: "k1", at: noon, ip: "203.0.113.7", outcome: .valid)
        tally.record(keyID: "k1", at: noon.addingTimeInterval(60), ip: "198.51.100.1", outcome: .refused)

        #expect(tally.lastUses["k1"] == UsageTally.LastUse(at: noon, ip: "203.0.113.7"))
    }

    @Test func gatesAreCountedWithTheirScopeAndLastSeen() {
        var tally = UsageTally()

        tally.record(keyID: "k1", at: noon, ip: nil, outcome: .valid, gate: .forwardAuth, scope: "orders:read")
        tally.record(
            keyID: "k1", at: noon.addingTimeInterval(5), ip: nil, outcome: .refused, gate: .forwardAuth, scope: "orders:read")
        tally.record(keyID: "k1", at: noon, ip: nil, outcome: .valid, gate: .forwardAuth)
        tally.record(keyID: "k1", at: noon, ip: nil, outcome: .valid, gate: .whoami)

        let gates = tally.days[UsageTally.KeyDay(keyID: "k1", day: day)]?.gates ?? [:]
        #expect(
            gates[UsageTally.GateScope(gate: .forwardAuth, scope: "orders:read")]
                == .init(count: 2, last: noon.addingTimeInterval(5)))
        #expect(gates[UsageTally.GateScope(gate: .forwardAuth, scope: "")]?.count == 1)
        #expect(gates[UsageTally.GateScope(gate: .whoami, scope: "")]?.count == 1)
    }

    @Test func clientAddressesPastTheBoundAreCountedTogetherAndNothingIsLost() {
        var tally = UsageTally()

        for index in 0..<(UsageTally.placeLimit + 30) {
            tally.record(keyID: "k1", at: noon, ip: "198.51.100.\(index)", outcome: .valid, gate: .whoami)
        }
        tally.record(keyID: "k1", at: noon, ip: "198.51.100.0", outcome: .valid, gate: .whoami)  // a kept one, again

        let clients = tally.days[UsageTally.KeyDay(keyID: "k1", day: day)]?.clients ?? [:]
        #expect(clients.count == UsageTally.placeLimit + 1)
        #expect(clients[UsageTally.otherClients]?.count == 30)
        #expect(clients["198.51.100.0"]?.count == 2)
        #expect(clients.values.reduce(0) { $0 + $1.count } == UsageTally.placeLimit + 31)
    }

    @Test func scopesPastTheBoundAreCountedUnderTheOtherScope() {
        var tally = UsageTally()

        for index in 0..<(UsageTally.placeLimit + 5) {
            tally.record(keyID: "k1", at: noon, ip: nil, outcome: .refused, gate: .forwardAuth, scope: "r\(index):read")
        }

        let gates = tally.days[UsageTally.KeyDay(keyID: "k1", day: day)]?.gates ?? [:]
        #expect(gates.count == UsageTally.placeLimit + 1)
        #expect(gates[UsageTally.GateScope(gate: .forwardAuth, scope: UsageTally.otherScope)]?.count == 5)
    }

    @Test func mergingAFailedFlushBackAddsEverything() {
        var earlier = UsageTally()
        earlier.record(keyID: "k1", at: noon, ip: "203.0.113.7", outcome: .valid, gate: .whoami)
        earlier.record(keyID: "k1", at: noon, ip: "203.0.113.7", outcome: .rateLimited, gate: .whoami)
        var later = UsageTally()
        later.record(keyID: "k1", at: noon.addingTimeInterval(60), ip: "203.0.113.7", outcome: .valid, gate: .whoami)

        later.merge(earlier)

        let today = later.days[UsageTally.KeyDay(keyID: "k1", day: day)]
        #expect(today?.outcomes == UsageTally.Outcomes(valid: 2, refused: 0, rateLimited: 1))
        #expect(today?.clients["203.0.113.7"] == .init(count: 3, last: noon.addingTimeInterval(60)))
        #expect(later.lastUses["k1"]?.at == noon.addingTimeInterval(60))
    }

    @Test(arguments: [
        (VerificationCode.valid, UsageOutcome?.some(.valid)), (.rateLimited, .rateLimited), (.disabled, .refused),
        (.expired, .refused), (.ipNotAllowed, .refused), (.insufficientScope, .refused), (.usageExceeded, .refused),
        (.notFound, nil), (.pending, nil), (.malformed, nil),
    ])
    func verificationCodesMapToOutcomes(_ code: VerificationCode, _ outcome: UsageOutcome?) {
        #expect(UsageOutcome(code) == outcome)
    }
}
