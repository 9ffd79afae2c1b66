import Foundation
import KeysmithCore
import Testing

struct QuotaBalanceTests {
    let now = KeysFixture.now  // 2026-01-15
    let monthly = UsageQuota(remaining: 100, refill: .monthly)!
    let once = UsageQuota(remaining: 100, refill: nil)!

    @Test func takingNeverGoesBelowZero() {
        var balance = QuotaBalance(remaining: 3, periodStart: now)

        let taken = [balance.take(upTo: 2), balance.take(upTo: 2), balance.take(upTo: 2)]

        #expect(taken == [2, 1, 0])
        #expect(balance.remaining == 0)
    }

    @Test func aMonthlyQuotaRefillsOnTheFirstOfTheNextMonth() {
        let balance = QuotaBalance(remaining: 0, periodStart: now)
        let firstOfFebruary = KeysFixture.date("2026-02-01T00:00:00Z")

        #expect(balance.refillsAt(for: monthly) == firstOfFebruary)
        #expect(balance.refilled(for: monthly, now: firstOfFebruary.addingTimeInterval(-1)).remaining == 0)
        let refilled = balance.refilled(for: monthly, now: firstOfFebruary)
        #expect(refilled.remaining == 100)
        #expect(refilled.periodStart == firstOfFebruary)
    }

    @Test func aQuotaWithoutRefillNeverRefills() {
        let balance = QuotaBalance(remaining: 0, periodStart: now)

        #expect(balance.refillsAt(for: once) == nil)
        #expect(balance.refilled(for: once, now: now.addingTimeInterval(86_400 * 400)).remaining == 0)
    }

    @Test func unitsGoBackOnlyToThePeriodTheyWereLeasedIn() {
        var balance = QuotaBalance(remaining: 50, periodStart: now)

        balance.giveBack(10, leasedIn: now.addingTimeInterval(-86_400), cap: 100)
        #expect(balance.remaining == 50)
        balance.giveBack(10, leasedIn: now.addingTimeInterval(0.0004), cap: 100)  // as read back from a store
        #expect(balance.remaining == 60)
        balance.giveBack(90, leasedIn: now, cap: 100)
        #expect(balance.remaining == 100)
    }
}

struct QuotaLeaseTests {
    @Test(arguments: [(1_000_000, 100), (400, 100), (100, 25), (8, 2), (3, 1), (1, 1), (0, 1)])
    func aSliceIsAtMostAHundredAndAQuarterOfWhatIsLeft(remaining: Int, slice: Int) {
        #expect(QuotaLease.slice(remaining: remaining, maxSlice: 100) == slice)
    }

    @Test func aLeaseIsSpentUnitByUnitAndIsVoidAtTheRefill() {
        let refill = KeysFixture.date("2026-02-01T00:00:00Z")
        var lease = QuotaLease(period: KeysFixture.now, refillsAt: refill, units: 2, storeRemainder: 10)

        let first = lease.spend()
        let remainingAfterOne = lease.remaining
        let spent = [lease.spend(), lease.spend()]

        #expect(first && remainingAfterOne == 11)
        #expect(spent == [true, false])
        #expect(lease.isCurrent(at: refill.addingTimeInterval(-1)))
        #expect(!lease.isCurrent(at: refill))
    }

    @Test func aKeyLeasesFromItsRefilledBalanceAndTakesBackWhatIsReturned() throws {
        let now = KeysFixture.now
        let spec = try KeyDraft(name: "metered", quota: "10", quotaRefill: "monthly").validate(now: now)
        var key = APIKey(
            id: try KeysFixture.keyID, projectID: .generate(), workspaceID: .generate(), creatorID: 1, spec: spec,
            customSecret: nil, now: now)

        let leased = key.leaseQuota(maxSlice: 100, now: now)
        let lease = try #require(leased)
        #expect(lease.units == 2)
        #expect(key.quotaBalance?.remaining == 8)

        key.returnQuota(1, leasedIn: lease.period)
        #expect(key.quotaBalance?.remaining == 9)

        let nextMonth = key.leaseQuota(maxSlice: 100, now: KeysFixture.date("2026-02-02T00:00:00Z"))
        #expect(nextMonth?.storeRemainder == 8)
        key.returnQuota(1, leasedIn: lease.period)  // January's units are gone with January
        #expect(key.quotaBalance?.remaining == 8)
    }
}
