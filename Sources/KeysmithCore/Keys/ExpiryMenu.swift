/// The console's expiry menu and its date picker, read as one choice and turned into the draft's `expiresAt`/`ttl`.
///
/// A date sent with any choice but "On a date…" is refused, and so is that choice without a date: either would
/// otherwise give a key whose expiry is not the one the user picked (a key that never expires, silently).
public enum ExpiryMenu {
    /// The choice that uses the date picker.
    public static let onDate = "date"
    /// Edit only: leave the stored expiry as it is.
    public static let keep = "keep"

    /// The draft's expiry fields for menu `choice` (`never`, a TTL such as `30d`, `date`, `keep`) and picker `date`.
    public static func draftFields(choice: String, date: String) -> Result<(expiresAt: String?, ttl: String?), FieldMessage> {
        let date = date.trimmingWhitespace()
        switch choice {
        case onDate:
            guard !date.isEmpty else { return .failure("Pick the last day the key works, or choose another expiry.") }
            return .success((date, nil))
        case _ where !date.isEmpty:
            return .failure("The date is only used with “On a date…”: clear it, or choose that option.")
        case keep:
            return .success((nil, nil))
        default:
            return .success((nil, choice))
        }
    }
}
