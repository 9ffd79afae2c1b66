import Foundation
import KeysmithCore
import Testing

struct KeyStatusTests {
    /// Stored status, expiry relative to now in seconds (nil: never), effective status.
    @Test(
        arguments: [
            (KeyStatus.active, nil, KeyStatus.active), (.active, 1, .active), (.active, 0, .expired), (.active, -1, .expired),
            (.pending, nil, .pending), (.pending, -60, .expired), (.disabled, 3600, .disabled), (.disabled, -3600, .expired),
        ] as [(KeyStatus, TimeInterval?, KeyStatus)]
    )
    func expiryAtOrBeforeNowMakesAnyKeyExpired(stored: KeyStatus, expiresIn: TimeInterval?, effective: KeyStatus) {
        let expiresAt = expiresIn.map { KeysFixture.now.addingTimeInterval($0) }

        #expect(stored.effective(expiresAt: expiresAt, now: KeysFixture.now) == effective)
    }

    @Test(arguments: [
        (KeyStatus.pending, KeyAction.activate, Result<KeyStatus, KeyError>.success(.active)),
        (.active, .activate, .failure(.cannotActivate(.active))),
        (.disabled, .activate, .failure(.cannotActivate(.disabled))),
        (.pending, .rotate, .failure(.cannotRotate(.pending))),
        (.active, .rotate, .success(.active)),
        (.disabled, .rotate, .success(.disabled)),
        (.pending, .disable, .failure(.cannotDisable(.pending))),
        (.active, .disable, .success(.disabled)),
        (.disabled, .disable, .failure(.cannotDisable(.disabled))),
        (.pending, .enable, .failure(.cannotEnable(.pending))),
        (.active, .enable, .failure(.cannotEnable(.active))),
        (.disabled, .enable, .success(.active)),
        (.expired, .enable, .failure(.cannotEnable(.expired))),
    ])
    func lifecycleActionsFollowPendingActiveDisabled(from: KeyStatus, action: KeyAction, expected: Result<KeyStatus, KeyError>) {
        #expect(Result { () throws(KeyError) in try from.applying(action) } == expected)
    }

    @Test func expiredIsNeverStored() {
        #expect(KeyStatus.storedCases == [.pending, .active, .disabled])
    }

    @Test(arguments: [
        ("0s", RotationGrace.immediately, 0, "Stops working immediately"),
        ("1h", .oneHour, 3_600, "Keeps working for 1 hour"), ("24h", .oneDay, 86_400, "Keeps working for 24 hours"),
        ("7d", .sevenDays, 604_800, "Keeps working for 7 days"),
    ])
    func rotationGraceParsesTheAPIValuesAndKeepsTheOldSecretThatLong(
        text: String,
        grace: RotationGrace,
        seconds: Int,
        label: String
    ) {
        #expect(RotationGrace(rawValue: text) == grace)
        #expect(grace.oldSecretLabel == label)
        #expect(grace.oldSecretExpiry(rotatedAt: KeysFixture.now) == KeysFixture.now.addingTimeInterval(TimeInterval(seconds)))
    }

    @Test(arguments: ["", "0", "1d", "2h", "now"])
    func rotationGraceRefusesOtherDurations(text: String) {
        #expect(RotationGrace(rawValue: text) == nil)
    }

    @Test(arguments: [
        (KeyError.notFound, "API key not found"), (.nameTaken("CI"), "A key named “CI” already exists"),
        (.cannotActivate(.active), "Only a pending key can be activated; this key is active"),
        (.invalid(["scopes": "x", "name": "y"]), "Invalid fields: name, scopes"),
    ])
    func keyErrorsDescribeThemselvesForHumans(error: KeyError, message: String) {
        #expect(error.description == message)
    }
}

struct RotationGraceLabelTests {
    @Test(arguments: [
        (RotationGrace.immediately, "Stops working immediately"), (.oneHour, "Keeps working for 1 hour"),
        (.oneDay, "Keeps working for 24 hours"), (.sevenDays, "Keeps working for 7 days"),
    ])
    func eachOptionSaysWhatHappensToTheOldSecret(_ grace: RotationGrace, _ label: String) {
        #expect(grace.oldSecretLabel == label)
    }
}
