import Foundation
import KeysmithCore
import Testing

@Suite struct SignInThrottleTests {
    let start = Date(timeIntervalSince1970: 0)

    private func admitted(_ admission: SignInThrottle.Admission) -> SignInThrottle.Attempt? {
        if case .admitted(let attempt) = admission { return attempt }
        return nil
    }

    @Test func parallelGuessesAreReservedBeforeTheHashSoOnlyTheLimitGetsThrough() {
        var throttle = SignInThrottle(.signIn)
        // Forty requests arrive before any hash has finished: each reserves, none reports back yet.
        let admissions = (0..<40).map { _ in throttle.admit(account: "ann@example.com", address: "203.0.113.9", now: start) }

        #expect(admissions.compactMap(admitted).count == 10)
        #expect(admissions.last == .refused(retryAfter: 900))
    }

    @Test func theBudgetOpensAgainWhenItsWindowEnds() {
        var throttle = SignInThrottle(.signIn)
        for _ in 0..<10 { _ = throttle.admit(account: "ann@example.com", address: "203.0.113.9", now: start) }

        #expect(
            throttle.admit(account: "ann@example.com", address: "203.0.113.9", now: start.addingTimeInterval(600))
                == .refused(retryAfter: 300))
        #expect(
            admitted(throttle.admit(account: "ann@example.com", address: "203.0.113.9", now: start.addingTimeInterval(900)))
                != nil)
    }

    @Test func aStrangersGuessesSlowTheAccountDownElsewhereButNeverLockIt() throws {
        var throttle = SignInThrottle(.signIn)
        for _ in 0..<10 { _ = throttle.admit(account: "ann@example.com", address: "198.51.100.66", now: start) }
        #expect(throttle.admit(account: "ann@example.com", address: "198.51.100.66", now: start) == .refused(retryAfter: 900))

        let owner = try #require(admitted(throttle.admit(account: "ann@example.com", address: "203.0.113.9", now: start)))

        #expect(owner.delay == 1)
        let unaffected = try #require(admitted(throttle.admit(account: "bob@example.com", address: "203.0.113.9", now: start)))
        #expect(unaffected.delay == 0)
    }

    @Test func oneAddressGuessingManyAccountsSpendsItsOwnBudget() {
        var throttle = SignInThrottle(SignInThrottle.Limits(perAddress: 30))
        let admissions = (0..<40).map { throttle.admit(account: "user\($0)@example.com", address: "198.51.100.66", now: start) }

        #expect(admissions.compactMap(admitted).count == 30)
        #expect(admitted(throttle.admit(account: "user1@example.com", address: "203.0.113.9", now: start)) != nil)
    }

    @Test func aRefusalTakesNothing() throws {
        var throttle = SignInThrottle(SignInThrottle.Limits(perAccountAndAddress: 1, perAddress: 2))
        let first = try #require(admitted(throttle.admit(account: "a@example.com", address: "198.51.100.66", now: start)))
        _ = throttle.admit(account: "b@example.com", address: "198.51.100.66", now: start)
        #expect(throttle.admit(account: "c@example.com", address: "198.51.100.66", now: start) == .refused(retryAfter: 900))

        throttle.succeeded(first)

        // The refused attempt gave back its pair reservation too, so c's single attempt is still there.
        #expect(admitted(throttle.admit(account: "c@example.com", address: "198.51.100.66", now: start)) != nil)
    }

    @Test func aSuccessStartsThePairAfreshAndGivesTheAddressItsAttemptBack() throws {
        var throttle = SignInThrottle(SignInThrottle.Limits(perAccountAndAddress: 3, perAddress: 3))
        for _ in 0..<2 { _ = throttle.admit(account: "ann@example.com", address: "203.0.113.9", now: start) }
        let right = try #require(admitted(throttle.admit(account: "ann@example.com", address: "203.0.113.9", now: start)))

        throttle.succeeded(right)

        #expect(admitted(throttle.admit(account: "ann@example.com", address: "203.0.113.9", now: start)) != nil)
        #expect(throttle.admit(account: "ann@example.com", address: "203.0.113.9", now: start) == .refused(retryAfter: 900))
    }

    @Test func memoryIsBoundedWhateverIsSprayed() {
        var throttle = SignInThrottle(SignInThrottle.Limits(perAddress: .max, capacity: 1_000))
        for index in 0..<5_000 {
            _ = throttle.admit(account: "user\(index)@example.com", address: "198.51.100.\(index % 250)", now: start)
        }

        #expect(throttle.trackedKeys <= 3 * 1_000)
    }
}
