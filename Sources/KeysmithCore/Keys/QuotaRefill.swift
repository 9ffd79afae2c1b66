import Foundation

/// How a usage quota is topped up again; `monthly` means at 00:00 UTC on the first of each month.
public enum QuotaRefill: String, CaseIterable, Codable, Sendable {
    case monthly

    /// The first refill instant strictly after `date`.
    public func nextRefill(after date: Date) -> Date {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let today = CivilDate(daysSinceEpoch: days)
        let next =
            today.month == 12
            ? CivilDate(year: today.year + 1, month: 1, day: 1)
            : CivilDate(year: today.year, month: today.month + 1, day: 1)
        return Date(timeIntervalSince1970: TimeInterval(next.daysSinceEpoch * 86_400))
    }
}
