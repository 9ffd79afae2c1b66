import Foundation

@testable import KeysmithCore
@testable import KeysmithServer

/// Expiries as forms and the API send them: `never`, TTLs (`30d`, or the API's whole seconds) and RFC 3339 times.
/// A parsed time, written out as the API writes times, parses back to the same second; a TTL is 1 s to 10 years;
/// and every expiry the API accepts survives being written and read back, as an admin-key PATCH keeps one.
///
/// Input: the expiry text, or a JSON `ttl` value (`90`, `"30d"`).
enum ExpiryHarness {
    static func run(_ input: [UInt8]) throws(PropertyViolation) {
        let text = String(decoding: input, as: UTF8.self)
        if let (date, dateOnly) = RFC3339.parse(text) { try check(date, dateOnly: dateOnly, parsedFrom: text) }
        if case .success(let choice) = ExpiryChoice.parse(text) { try check(choice, parsedFrom: text) }
        if let ttl = try? JSONDecoder().decode(TTLValue.self, from: Data(input)) { try check(ttl, decodedFrom: text) }
    }

    private static func check(_ date: Date, dateOnly: Bool, parsedFrom text: String) throws(PropertyViolation) {
        let seconds = date.timeIntervalSince1970
        try expect(seconds.isFinite, "“\(text)” is the instant \(seconds)")
        if dateOnly { try expect(seconds.remainder(dividingBy: 86_400) == 0, "the date “\(text)” is not a midnight") }
        let written = RFC3339.string(from: date)
        try expect(
            RFC3339.parse(written)?.date == Date(timeIntervalSince1970: seconds.rounded(.down)),
            "“\(text)” is written as “\(written)”, which does not parse back to the same second")
    }

    private static func check(_ choice: ExpiryChoice, parsedFrom text: String) throws(PropertyViolation) {
        switch choice {
        case .never:
            let entry = text.trimmingWhitespace().lowercased()
            try expect(entry.isEmpty || entry == "never", "“\(text)” means never")
        case .ttl(let seconds):
            try expect((1...ExpiryChoice.maxTTLSeconds).contains(seconds), "“\(text)” is a TTL of \(seconds) s")
            try expect(
                choice.resolve(now: FuzzFixture.now) == .success(FuzzFixture.now.addingTimeInterval(TimeInterval(seconds))),
                "the TTL “\(text)” does not count from now")
        case .date(let date):
            let resolved = choice.resolve(now: FuzzFixture.now)
            if case .success = resolved {
                try expect(date > FuzzFixture.now, "“\(text)” is accepted although it is not after now")
            } else {
                try expect(date <= FuzzFixture.now, "“\(text)” is refused although it is after now: \(resolved)")
            }
            // The API writes expiries in whole seconds: an expiry within the current second is written as now.
            let second = Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
            guard second > FuzzFixture.now else { return }
            let written = RFC3339.string(from: date)
            try expect(
                ExpiryChoice.resolve(written, now: FuzzFixture.now) == .success(second),
                "the expiry “\(text)” is written as “\(written)”, which is refused or another instant")
        }
    }

    private static func check(_ ttl: TTLValue, decodedFrom text: String) throws(PropertyViolation) {
        let choice = ExpiryChoice.parse(ttl.text)
        guard let seconds = Int(text.trimmingWhitespace()), (1...ExpiryChoice.maxTTLSeconds).contains(seconds) else { return }
        try expect(choice == .success(.ttl(seconds: seconds)), "the JSON ttl \(seconds) is \(choice)")
    }
}
