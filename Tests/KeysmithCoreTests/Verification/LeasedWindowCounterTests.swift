import Foundation
import KeysmithCore
import Testing

@Suite struct LeasedWindowCounterTests {
    let limit = RateLimit(limit: 10, window: .minute)!
    let now = Date(timeIntervalSince1970: 1_800_000_030)  // 30 s into a minute window
    var start: Date { FixedWindowCounter.windowStart(limit, now: now) }

    @Test func aNodeAdmitsOnlyWhatItHoldsAndAsksForMore() {
        var counter = LeasedWindowCounter()
        #expect(counter.admit(limit, now: now) == nil)  // holds nothing yet: lease first

        let first = counter.add(granted: 2, leasedInAll: 2, windowStart: start, thenAdmit: limit, now: now)
        #expect(first.allowed)
        #expect(first.remaining == 9)  // 8 not leased by anyone, 1 held here
        #expect(counter.admit(limit, now: now)?.allowed == true)
        #expect(counter.admit(limit, now: now) == nil)  // both held requests used
    }

    @Test func anEmptyLeaseRefusesUntilTheWindowEnds() {
        var counter = LeasedWindowCounter()
        let refused = counter.add(granted: 0, leasedInAll: 10, windowStart: start, thenAdmit: limit, now: now)
        #expect(!refused.allowed)
        #expect(refused.remaining == 0)
        #expect(refused.reset == start.addingTimeInterval(60))

        let nextWindow = now.addingTimeInterval(60)
        #expect(counter.admit(limit, now: nextWindow) == nil)  // a new window holds nothing: lease again
        #expect(counter.windowStart == start.addingTimeInterval(60))
    }

    @Test func aLeaseForAnEndedWindowAddsNothingToTheNewOne() {
        var counter = LeasedWindowCounter()
        let later = now.addingTimeInterval(60)
        let decision = counter.add(granted: 5, leasedInAll: 5, windowStart: start, thenAdmit: limit, now: later)
        #expect(!decision.allowed)
        #expect(counter.held == 0)
    }

    @Test func aRefundGivesTheRequestBackToThisNode() {
        var counter = LeasedWindowCounter()
        _ = counter.add(granted: 1, leasedInAll: 1, windowStart: start, thenAdmit: limit, now: now)
        #expect(counter.admit(limit, now: now) == nil)
        _ = counter.refund(limit, now: now)
        #expect(counter.admit(limit, now: now)?.allowed == true)
    }
}
