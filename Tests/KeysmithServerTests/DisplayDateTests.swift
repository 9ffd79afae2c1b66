import Foundation
import Testing

@testable import KeysmithServer

/// The console's dates: hand-formatted from UTC parts, so they must say exactly what Foundation would.
@Suite struct DisplayDateTests {
    @Test(arguments: [0, 951_782_400, 1_796_283_718.9, 4_102_444_799, -86_400])
    func matchesFoundationsFormatting(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let shown = DisplayDate(date, now: date)
        #expect(shown.iso == date.formatted(.iso8601))
        let exact = Date.VerbatimFormatStyle(
            format:
                "\(day: .twoDigits) \(month: .abbreviated) \(year: .defaultDigits), \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits) UTC",
            locale: Locale(identifier: "en_US_POSIX"), timeZone: .gmt, calendar: Calendar(identifier: .gregorian))
        #expect(shown.exact == exact.format(date))
        #expect(shown.relative == "just now")
    }

    @Test func aKnownMoment() {
        let shown = DisplayDate(Date(timeIntervalSince1970: 1_796_283_718), now: Date(timeIntervalSince1970: 1_796_290_918))
        #expect(shown.iso == "2026-12-03T07:41:58Z")
        #expect(shown.exact == "03 Dec 2026, 07:41 UTC")
        #expect(shown.relative == "2 hours ago")
    }
}
