import Foundation

/// UTC calendar days as `yyyy-MM-dd`, the key of the usage table.
public enum KeyUsageDay {
    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    public static func string(for date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// `count` day strings ending with today's, oldest first.
    public static func lastDays(_ count: Int, endingAt now: Date) -> [String] {
        (0..<count).reversed().compactMap { offset in
            calendar.date(byAdding: .day, value: -offset, to: now).map(string(for:))
        }
    }
}
