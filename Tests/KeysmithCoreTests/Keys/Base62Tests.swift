import KeysmithCore
import Testing

struct Base62Tests {
    @Test(arguments: [
        (UInt32(0), "000000"), (61, "00000z"), (62, "000010"), (0xCBF4_3926, "3jZRME"), (0xBAE0_A630, "3QBKnQ"),
        (UInt32.max, "4gfFC3"),
    ])
    func encodeWritesSixDigitsMostSignificantFirstZeroPadded(value: UInt32, digits: String) {
        #expect(Base62.encode(value) == digits)
        #expect(Base62.decode(Array(digits.utf8)) == UInt64(value))
    }

    @Test(
        arguments: [
            ("", UInt64(0)), ("10", 62), ("zzzzzzzzzz", 839_299_365_868_340_223), ("00000_", nil), ("abc-", nil),
            ("zzzzzzzzzzz", nil),
        ] as [(String, UInt64?)]
    )
    func decodeRefusesNonDigitsAndMoreThanTenDigits(text: String, expected: UInt64?) {
        #expect(Base62.decode(Array(text.utf8)) == expected)
    }

    @Test(arguments: [0, 1, 16, 32, 38, 500])
    func randomHasTheRequestedLengthAndOnlyAlphabetDigits(count: Int) {
        let text = Base62.random(count: count)

        #expect(text.utf8.count == count)
        #expect(Base62.isDigits(text.utf8))
    }

    @Test(
        arguments: [
            ([62, 63, 0, 61], "0z"),
            ([63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 10, 36], "Aa"),
            ([1, 62, 2, 63, 3], "123"),
        ] as [([UInt64], String)]
    )
    func randomDiscardsSixBitDrawsAbove61SoThereIsNoModuloBias(draws: [UInt64], expected: String) {
        var generator = ScriptedGenerator(sixBitDraws: draws + Array(repeating: 0, count: 20))

        #expect(Base62.random(count: expected.count, using: &generator) == expected)
    }

    @Test func randomUsesEveryDigitAboutEquallyOften() {
        var generator = SplitMix64(state: 42)
        let text = Base62.random(count: 62_000, using: &generator)

        var counts: [UInt8: Int] = [:]
        for byte in text.utf8 { counts[byte, default: 0] += 1 }

        #expect(counts.count == 62)
        #expect(counts.values.allSatisfy { (850...1150).contains($0) })
    }

    @Test func systemRandomDiffersBetweenCalls() {
        #expect(Base62.random(count: 32) != Base62.random(count: 32))
    }
}
