import Foundation
import KeysmithCore
import Testing

@Test func sessionExpiresWhenIdleOrTooOld() {
    let policy = SessionPolicy.standard
    let signedIn = Date(timeIntervalSince1970: 0)
    let expiresAt = policy.absoluteExpiry(signedInAt: signedIn)

    #expect(!policy.isExpired(lastSeenAt: signedIn, expiresAt: expiresAt, now: signedIn.addingTimeInterval(12 * 3600 - 1)))
    #expect(policy.isExpired(lastSeenAt: signedIn, expiresAt: expiresAt, now: signedIn.addingTimeInterval(12 * 3600)))
    let recentlySeen = signedIn.addingTimeInterval(30 * 86_400 - 60)
    #expect(!policy.isExpired(lastSeenAt: recentlySeen, expiresAt: expiresAt, now: recentlySeen.addingTimeInterval(59)))
    #expect(policy.isExpired(lastSeenAt: recentlySeen, expiresAt: expiresAt, now: recentlySeen.addingTimeInterval(60)))
}

@Test func lastSeenIsWrittenAtMostOncePerMinute() {
    let policy = SessionPolicy.standard
    let seen = Date(timeIntervalSince1970: 0)

    #expect(!policy.needsTouch(lastSeenAt: seen, now: seen.addingTimeInterval(59)))
    #expect(policy.needsTouch(lastSeenAt: seen, now: seen.addingTimeInterval(60)))
}
