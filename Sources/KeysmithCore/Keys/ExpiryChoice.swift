import Foundation

/// When a key should expire, as chosen: never, a TTL counted from `now`, or a fixed instant (resolved to `Date?`).
///
/// A bare date (`2026-01-31`, an HTML date input) means the end of that day in UTC, `23:59:59Z`, so the day a
/// user picks is the last day the key works and formatting `expiresAt` in UTC gives the picked date back.
public enum ExpiryChoice: Hashable, Sendable {
    case never
    case ttl(seconds: Int)
    case date(Date)

    /// The longest TTL, ten years of 365 days.
    public static let maxTTLSeconds = 10 * 365 * 86_400

    /// Accepts `never` (or empty), `<n>(s|m|h|d|w|y)` with m = minutes and y = 365 days (`30d`, `90d`, `1y`),
    /// RFC 3339 timestamps and bare dates.
    public static func parse(_ text: String) -> Result<ExpiryChoice, FieldMessage> {
        let entry = text.trimmingWhitespace()
        if entry.isEmpty || entry.lowercased() == "never" { return .success(.never) }
        if let (count, unit) = splitTTL(entry) {
            guard count != 0 else { return .failure("A TTL must be longer than zero (such as 30d).") }
            guard let count, count <= maxTTLSeconds / unit else {
                return .failure("Use a TTL of at most 10 years (such as 1y).")
            }
            return .success(.ttl(seconds: count * unit))
        }
        guard let (date, dateOnly) = RFC3339.parse(entry) else {
            return .failure(
                FieldMessage(
                    "“\(entry)” is not an expiry; use never, a TTL such as 30d, 90d or 1y, "
                        + "a date (2026-12-31) or an RFC 3339 time (2026-12-31T23:00:00Z)."
                )
            )
        }
        return .success(.date(dateOnly ? date.addingTimeInterval(86_399) : date))
    }

    /// Parses and resolves in one step, as `KeyDraft` does.
    public static func resolve(_ text: String, now: Date) -> Result<Date?, FieldMessage> {
        parse(text).flatMap { $0.resolve(now: now) }
    }

    /// The expiry instant, nil for never; an instant not after `now` is refused.
    public func resolve(now: Date) -> Result<Date?, FieldMessage> {
        switch self {
        case .never:
            return .success(nil)
        case .ttl(let seconds):
            return .success(now.addingTimeInterval(TimeInterval(seconds)))
        case .date(let date):
            guard date > now else { return .failure("The expiry must be in the future.") }
            return .success(date)
        }
    }

    /// `(count, seconds per unit)` when the text has TTL shape; count is nil when it has too many digits.
    private static func splitTTL(_ text: String) -> (Int?, Int)? {
        guard let unitByte = text.utf8.last, text.utf8.count >= 2 else { return nil }
        let digits = text.utf8.dropLast()
        guard digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        let unit: Int
        switch unitByte {
        case UInt8(ascii: "s"): unit = 1
        case UInt8(ascii: "m"): unit = 60
        case UInt8(ascii: "h"): unit = 3_600
        case UInt8(ascii: "d"): unit = 86_400
        case UInt8(ascii: "w"): unit = 604_800
        case UInt8(ascii: "y"): unit = 365 * 86_400
        default: return nil
        }
        guard digits.count <= 12 else { return (nil, unit) }
        return (digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }, unit)
    }
}
