import KeysmithCore
import Testing

/// The console's expiry menu: a date only counts with "On a date…", and that choice needs one.
struct ExpiryMenuTests {
    @Test(
        arguments: [
            ("never", "", nil, "never"), ("30d", "", nil, "30d"), ("1y", "  ", nil, "1y"),
            ("date", "2027-03-01", "2027-03-01", nil),
            ("keep", "", nil, nil),
        ] as [(String, String, String?, String?)])
    func eachChoiceGivesTheDraftItsExpiryFields(choice: String, date: String, expiresAt: String?, ttl: String?) throws {
        let fields = try ExpiryMenu.draftFields(choice: choice, date: date).get()

        #expect(fields.expiresAt == expiresAt)
        #expect(fields.ttl == ttl)
    }

    @Test(arguments: ["never", "30d", "90d", "1y", "keep"])
    func aDateSentWithAnotherChoiceIsRefusedNotDropped(choice: String) {
        let result = ExpiryMenu.draftFields(choice: choice, date: "2027-03-01")

        #expect(
            result.map { _ in "accepted" }
                == .failure("The date is only used with “On a date…”: clear it, or choose that option."))
    }

    @Test func onADateWithoutADateIsRefused() {
        let result = ExpiryMenu.draftFields(choice: "date", date: " ")

        #expect(result.map { _ in "accepted" } == .failure("Pick the last day the key works, or choose another expiry."))
    }
}

/// Which statuses a new key may start in.
struct InitialKeyStatusTests {
    @Test(arguments: [("active", KeyStatus.active), ("pending", .pending), ("disabled", .disabled), (" Disabled ", .disabled)])
    func aNewKeyMayStartActivePendingOrDisabled(text: String, status: KeyStatus) {
        #expect(KeyStatus(initial: text) == status)
    }

    @Test(arguments: ["expired", "inactive", ""])
    func noOtherStartIsAccepted(text: String) {
        #expect(KeyStatus(initial: text) == nil)
    }
}
