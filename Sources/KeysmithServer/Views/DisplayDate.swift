import Foundation

/// A moment as the console shows it: relative text ("3 minutes ago") with the exact UTC time for the hover title.
struct DisplayDate: Sendable, Equatable {
    /// For `<time datetime="…">`.
    let iso: String
    /// Exact, for the `title` attribute.
    let exact: String
    let relative: String

    init(_ date: Date, now: Date) {
        iso = date.formatted(.iso8601)
        exact = Self.exactFormat.format(date)
        relative = Self.relativeText(from: date, to: now)
    }

    private static let exactFormat = Date.VerbatimFormatStyle(
        format:
            "\(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits), \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits) UTC",
        locale: Locale(identifier: "en_US_POSIX"), timeZone: .gmt, calendar: Calendar(identifier: .gregorian)
    )

    static func relativeText(from date: Date, to now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        let future = seconds < 0
        let magnitude = abs(seconds)
        let phrase: String
        switch magnitude {
        case ..<60: return future ? "in a moment" : "just now"
        case ..<3600: phrase = plural(Int(magnitude / 60), "minute")
        case ..<86_400: phrase = plural(Int(magnitude / 3600), "hour")
        case ..<(86_400 * 60): phrase = plural(Int(magnitude / 86_400), "day")
        case ..<(86_400 * 730): phrase = plural(Int(magnitude / (86_400 * 30)), "month")
        default: phrase = plural(Int(magnitude / (86_400 * 365)), "year")
        }
        return future ? "in \(phrase)" : "\(phrase) ago"
    }

    private static func plural(_ count: Int, _ unit: String) -> String {
        count == 1 ? "1 \(unit)" : "\(count) \(unit)s"
    }
}
