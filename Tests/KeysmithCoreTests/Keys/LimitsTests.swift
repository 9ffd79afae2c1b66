import Foundation
import KeysmithCore
import Testing

struct LimitsTests {
    @Test(arguments: [
        ("100", "minute", 100, RateLimitWindow.minute), (" 1 ", "second", 1, .second), ("1000000", "Hour", 1_000_000, .hour),
    ])
    func rateLimitsParseFromFormText(limit: String, window: String, count: Int, expected: RateLimitWindow) {
        #expect(RateLimit.parse(limit: limit, window: window) == .success(RateLimit(limit: count, window: expected)!))
    }

    @Test(arguments: [
        ("0", "minute", "Enter a whole number of requests from 1 to 1000000."),
        ("-5", "minute", "Enter a whole number of requests from 1 to 1000000."),
        ("1000001", "minute", "Enter a whole number of requests from 1 to 1000000."),
        ("ten", "minute", "Enter a whole number of requests from 1 to 1000000."),
        ("1.5", "minute", "Enter a whole number of requests from 1 to 1000000."),
        ("10", "day", "Choose a window of second, minute or hour."), ("10", "", "Choose a window of second, minute or hour."),
    ])
    func rateLimitsOutsideTheirBoundsAreRefused(limit: String, window: String, message: String) {
        #expect(RateLimit.parse(limit: limit, window: window) == .failure(FieldMessage(message)))
    }

    @Test(arguments: [(0, false), (1, true), (1_000_000, true), (1_000_001, false)])
    func rateLimitInitAcceptsOnlyTheLimitRange(limit: Int, valid: Bool) {
        #expect((RateLimit(limit: limit, window: .second) != nil) == valid)
    }

    @Test(
        arguments: [
            ("1000", nil, 1_000, nil), ("0", "", 0, nil), ("500", "monthly", 500, QuotaRefill.monthly), ("5", "none", 5, nil),
            ("5", " Monthly ", 5, .monthly),
        ] as [(String, String?, Int, QuotaRefill?)]
    )
    func quotasParseFromFormText(remaining: String, refill: String?, count: Int, expected: QuotaRefill?) {
        #expect(
            UsageQuota.parse(remaining: remaining, refill: refill) == .success(UsageQuota(remaining: count, refill: expected)!))
    }

    @Test(
        arguments: [
            ("-1", nil, "Enter a whole number of requests from 0 to 1000000000."),
            ("1000000001", nil, "Enter a whole number of requests from 0 to 1000000000."),
            ("lots", nil, "Enter a whole number of requests from 0 to 1000000000."),
            ("10", "weekly", "Choose a refill of monthly or none."),
        ] as [(String, String?, String)]
    )
    func quotasOutsideTheirBoundsAreRefused(remaining: String, refill: String?, message: String) {
        #expect(UsageQuota.parse(remaining: remaining, refill: refill) == .failure(FieldMessage(message)))
    }

    @Test(arguments: [
        ("2026-01-15T12:00:00Z", "2026-02-01T00:00:00Z"), ("2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z"),
        ("2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"), ("2028-02-29T12:00:00Z", "2028-03-01T00:00:00Z"),
        ("1969-12-31T12:00:00Z", "1970-01-01T00:00:00Z"),
    ])
    func monthlyRefillsHappenOnTheFirstOfTheNextMonthUTC(date: String, next: String) {
        #expect(QuotaRefill.monthly.nextRefill(after: KeysFixture.date(date)) == KeysFixture.date(next))
    }

    @Test func limitsEncodeAsDesignedAndRevalidateWhenDecoded() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let rateLimit = try #require(RateLimit(limit: 10, window: .minute))
        let quota = try #require(UsageQuota(remaining: 5, refill: nil))

        #expect(String(decoding: try encoder.encode(rateLimit), as: UTF8.self) == #"{"limit":10,"window":"minute"}"#)
        #expect(String(decoding: try encoder.encode(quota), as: UTF8.self) == #"{"refill":null,"remaining":5}"#)
        #expect(try JSONDecoder().decode(RateLimit.self, from: encoder.encode(rateLimit)) == rateLimit)
        #expect(try JSONDecoder().decode(UsageQuota.self, from: Data(#"{"remaining":5}"#.utf8)) == quota)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(RateLimit.self, from: Data(#"{"limit":0,"window":"minute"}"#.utf8))
        }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(UsageQuota.self, from: Data(#"{"remaining":-1}"#.utf8)) }
    }

    @Test(arguments: [(RateLimitWindow.second, 1), (.minute, 60), (.hour, 3_600)])
    func windowsKnowTheirLength(window: RateLimitWindow, seconds: Int) {
        #expect(window.seconds == seconds)
    }
}
