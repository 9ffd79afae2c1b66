import Foundation
import KeysmithCore
import Testing

struct AttemptBudgetTests {
    let now = KeysFixture.now

    @Test func reservationsStopAtTheLimitUntilTheWindowPasses() {
        var budget = AttemptBudget(limit: 3, window: 60)

        let withinLimit = (0..<3).map { _ in budget.reserve("key", now: now) }
        let overLimit = budget.reserve("key", now: now.addingTimeInterval(59))
        let otherKey = budget.reserve("other", now: now)
        let nextWindow = budget.reserve("key", now: now.addingTimeInterval(60))

        #expect(withinLimit == [true, true, true])
        #expect(!overLimit && otherKey && nextWindow)
    }

    @Test func aReleasedAttemptCanBeReservedAgain() {
        var budget = AttemptBudget(limit: 1, window: 60)
        _ = budget.reserve("key", now: now)

        budget.release("key", reservedAt: now)

        #expect(budget.remaining("key", now: now) == 1)
        let again = budget.reserve("key", now: now)
        #expect(again)
    }

    @Test func aReleaseFromAnEarlierWindowGivesNothingBack() {
        var budget = AttemptBudget(limit: 1, window: 60)
        _ = budget.reserve("key", now: now)
        _ = budget.reserve("key", now: now.addingTimeInterval(61))

        budget.release("key", reservedAt: now)

        #expect(budget.remaining("key", now: now.addingTimeInterval(61)) == 0)
    }

    @Test func onlyTheMostRecentKeysAreTracked() {
        var budget = AttemptBudget(limit: 1, window: 60, capacity: 100)

        for number in 0..<1_000 { _ = budget.reserve("ip-\(number)", now: now) }

        #expect(budget.trackedKeys == 100)
    }
}
