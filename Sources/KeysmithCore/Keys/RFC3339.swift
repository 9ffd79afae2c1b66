import Foundation

/// Parses the timestamps forms and APIs send, and writes the one the API answers with, without `DateFormatter`;
/// every instant is in UTC.
public enum RFC3339 {
    /// `2026-01-31T12:00:00Z`: whole seconds (rounded down), as the API has always answered.
    public static func string(from date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let time = seconds - days * 86_400
        func padded(_ number: Int) -> String { number < 10 ? "0\(number)" : String(number) }
        return "\(CivilDate(daysSinceEpoch: days).text)T\(padded(time / 3_600)):\(padded(time / 60 % 60)):\(padded(time % 60))Z"
    }

    /// The instants `string(from:)` writes with four-digit years: from 0000-01-01T00:00:00Z to the end of 9999.
    static let writableSeconds = seconds(atStartOf: 0)..<seconds(atStartOf: 10_000)

    /// `2026-01-31T12:00:00Z`, `…T12:00:00.5+02:00`, `t`/space for `T`, `z` for `Z`; a missing zone means UTC
    /// (an HTML `datetime-local` input, `2026-01-31T12:00`). `dateOnly` marks a bare `2026-01-31` (midnight UTC).
    /// An offset or a fraction that moves the instant out of years 0000–9999 (`9999-12-31T23:59:59-01:00`) is refused,
    /// so whatever parses can be written back.
    static func parse(_ text: String) -> (date: Date, dateOnly: Bool)? {
        let bytes = Array(text.utf8)
        var reader = Reader(bytes: bytes)
        guard let year = reader.number(4), reader.skip("-"), let month = reader.number(2), reader.skip("-"),
            let day = reader.number(2)
        else { return nil }
        let civil = CivilDate(year: year, month: month, day: day)
        guard civil.isValid else { return nil }
        var seconds = Double(civil.daysSinceEpoch * 86_400)
        if reader.atEnd { return (Date(timeIntervalSince1970: seconds), true) }

        guard reader.skip("T") || reader.skip("t") || reader.skip(" "), let hour = reader.number(2), hour < 24,
            reader.skip(":"), let minute = reader.number(2), minute < 60
        else { return nil }
        var second = 0
        if reader.skip(":") {
            guard let value = reader.number(2), value < 60 else { return nil }
            second = value
            if reader.skip(".") {
                guard let fraction = reader.fraction() else { return nil }
                seconds += fraction
            }
        }
        seconds += Double(hour * 3600 + minute * 60 + second)
        if reader.skip("Z") || reader.skip("z") || reader.atEnd {
            // UTC
        } else {
            let sign: Double
            if reader.skip("+") { sign = 1 } else if reader.skip("-") { sign = -1 } else { return nil }
            guard let offsetHours = reader.number(2), offsetHours < 24, reader.skip(":"),
                let offsetMinutes = reader.number(2), offsetMinutes < 60
            else { return nil }
            seconds -= sign * Double(offsetHours * 3600 + offsetMinutes * 60)
        }
        guard reader.atEnd, writableSeconds.contains(seconds) else { return nil }
        return (Date(timeIntervalSince1970: seconds), false)
    }

    private static func seconds(atStartOf year: Int) -> Double {
        Double(CivilDate(year: year, month: 1, day: 1).daysSinceEpoch * 86_400)
    }

    /// A cursor over ASCII bytes; every read either consumes what it matched or nothing.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
            index += 1
            return true
        }

        /// Exactly `count` decimal digits.
        mutating func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + count)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }

        /// One to nine digits after the decimal point.
        mutating func fraction() -> Double? {
            var value = 0.0
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                guard index - start < 9 else { return nil }
                value += Double(bytes[index] - UInt8(ascii: "0")) * scale
                scale /= 10
                index += 1
            }
            return index > start ? value : nil
        }
    }
}
