import Foundation
import KeysmithCore
import Testing

@Test func tenFailuresInFifteenMinutesBlockUntilTheOldestLeavesTheWindow() throws {
    var throttle = FailureThrottle(maxFailures: 10, window: 900)
    let start = Date(timeIntervalSince1970: 0)

    for minute in 0..<9 { throttle.recordFailure("ip:1", now: start.addingTimeInterval(Double(minute) * 60)) }
    #expect(throttle.retryAfter("ip:1", now: start.addingTimeInterval(540)) == nil)
    throttle.recordFailure("ip:1", now: start.addingTimeInterval(540))

    let wait = try #require(throttle.retryAfter("ip:1", now: start.addingTimeInterval(600)))
    #expect(wait == 300)
    #expect(throttle.retryAfter("ip:1", now: start.addingTimeInterval(900)) == nil)
    #expect(throttle.retryAfter("ip:2", now: start.addingTimeInterval(600)) == nil)
}

@Test func resetForgetsAKeysFailures() {
    var throttle = FailureThrottle(maxFailures: 2, window: 900)
    let now = Date(timeIntervalSince1970: 0)
    throttle.recordFailure("email:a", now: now)
    throttle.recordFailure("email:a", now: now)

    throttle.reset("email:a")

    #expect(throttle.retryAfter("email:a", now: now) == nil)
}
