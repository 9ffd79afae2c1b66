import Foundation
import KeysmithCore
import Testing

struct KeySecretsTests {
    let now = KeysFixture.now
    let first = KeySecrets.Stored(hash: "$argon2id$first", hint: "ks_live_0123…aaaa")
    let second = KeySecrets.Stored(hash: "$argon2id$second", hint: "ks_live_0123…bbbb")
    let third = KeySecrets.Stored(hash: "$argon2id$third", hint: "ks_live_0123…cccc")

    @Test func rotationWithGraceKeepsTheOldSecretUntilTheGraceEnds() {
        let secrets = KeySecrets(current: first).rotated(to: second, grace: .oneHour, now: now)

        #expect(secrets.liveHashes(at: now) == [second.hash, first.hash])
        #expect(secrets.accepts(hash: first.hash, at: now.addingTimeInterval(3_599)))
        #expect(!secrets.accepts(hash: first.hash, at: now.addingTimeInterval(3_600)))
        #expect(secrets.graceEnds(after: now) == now.addingTimeInterval(3_600))
    }

    @Test func rotatingNowRetiresTheCurrentSecretAtOnce() {
        let secrets = KeySecrets(current: first).rotated(to: second, grace: .immediately, now: now)

        #expect(secrets.liveHashes(at: now) == [second.hash])
        #expect(!secrets.accepts(hash: first.hash, at: now))
        #expect(secrets.graceEnds(after: now) == nil)
    }

    @Test func aSecondRotationKeepsTheGraceTheFirstAnnounced() {
        let afterOne = KeySecrets(current: first).rotated(to: second, grace: .oneHour, now: now)
        let tenMinutesLater = now.addingTimeInterval(600)

        let afterTwo = afterOne.rotated(to: third, grace: .sevenDays, now: tenMinutesLater)

        #expect(afterTwo.accepts(hash: first.hash, at: now.addingTimeInterval(3_599)))
        #expect(!afterTwo.accepts(hash: first.hash, at: now.addingTimeInterval(3_600)))
        #expect(afterTwo.accepts(hash: second.hash, at: tenMinutesLater.addingTimeInterval(604_799)))
        #expect(afterTwo.accepts(hash: third.hash, at: now))
    }

    @Test func rotatingNowAfterAGraceKeepsTheEarlierGrace() {
        let afterOne = KeySecrets(current: first).rotated(to: second, grace: .oneDay, now: now)

        let afterTwo = afterOne.rotated(to: third, grace: .immediately, now: now.addingTimeInterval(60))

        #expect(afterTwo.accepts(hash: first.hash, at: now.addingTimeInterval(120)))
        #expect(!afterTwo.accepts(hash: second.hash, at: now.addingTimeInterval(60)))
    }

    @Test func endedGracesAreDroppedAtTheNextRotation() {
        let afterOne = KeySecrets(current: first).rotated(to: second, grace: .oneHour, now: now)

        let afterTwo = afterOne.rotated(to: third, grace: .oneHour, now: now.addingTimeInterval(7_200))

        #expect(afterTwo.retired.map(\.secret) == [second])
    }

    @Test func theCandidateIsTheHashWhoseHintEndsLikeTheSecret() {
        let secrets = KeySecrets(current: first).rotated(to: second, grace: .sevenDays, now: now)
            .rotated(to: third, grace: .sevenDays, now: now)

        #expect(secrets.candidateHashes(for: "xxxxxxxxbbbb", at: now) == [second.hash])
        #expect(secrets.candidateHashes(for: "xxxxxxxxcccc", at: now) == [third.hash])
    }

    @Test func aSecretMatchingNoHintStillCostsExactlyOneCheck() {
        let secrets = KeySecrets(current: first).rotated(to: second, grace: .sevenDays, now: now)

        #expect(secrets.candidateHashes(for: "xxxxxxxxzzzz", at: now) == [second.hash])
    }

    @Test func aSecretInEndedGraceIsNoCandidate() {
        let secrets = KeySecrets(current: first).rotated(to: second, grace: .oneHour, now: now)

        #expect(secrets.candidateHashes(for: "xxxxxxxxaaaa", at: now.addingTimeInterval(3_600)) == [second.hash])
    }

    @Test func aKeyHoldsItsCurrentAndRetiredHashesWhateverTheirGrace() {
        let secrets = KeySecrets(current: first).rotated(to: second, grace: .oneHour, now: now)

        #expect(secrets.holds(hash: first.hash) && secrets.holds(hash: second.hash))
        #expect(!secrets.holds(hash: third.hash))
        #expect(!secrets.rotated(to: third, grace: .immediately, now: now.addingTimeInterval(7_200)).holds(hash: first.hash))
    }

    @Test func upgradingReplacesOnlyTheCurrentHash() throws {
        let secrets = KeySecrets(current: first)

        let upgraded = try #require(secrets.upgrading(currentHash: first.hash, to: "$argon2id$stronger"))

        #expect(upgraded.current == KeySecrets.Stored(hash: "$argon2id$stronger", hint: first.hint))
        #expect(secrets.rotated(to: second, grace: .oneHour, now: now).upgrading(currentHash: first.hash, to: "x") == nil)
    }

    @Test func endingTheGraceLeavesOnlyTheCurrentSecret() {
        let twice = KeySecrets(current: first).rotated(to: second, grace: .oneHour, now: now)
            .rotated(to: third, grace: .sevenDays, now: now)

        let ended = twice.endingGrace()

        #expect(ended.liveHashes(at: now) == [third.hash])
        #expect(!ended.holds(hash: first.hash) && !ended.holds(hash: second.hash))
        #expect(ended.graceEnds(after: now) == nil)
    }
}
