import Foundation
import Testing

@testable import KeysmithServer

/// `JSONWriter` replaced `JSONEncoder` on the hot routes: for the same value it must write the same bytes.
struct JSONWriterTests {
    @Test(arguments: [
        "plain", "quote \" and backslash \\", "slash / stays", "Zoë ✓ 𝄞", "tab\tline\nreturn\r", "\u{08}\u{0C}\u{01}\u{1F}",
        "", "${key.name}",
    ])
    func stringsAreWrittenAsJSONEncoderWritesThem(text: String) throws {
        var json = JSONWriter()
        json.object { json in json.field("value", text) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

        let expected = try encoder.encode(["value": text])

        #expect(String(decoding: json.bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test func objectsArraysNullsAndDatesMatchTheEncoder() throws {
        struct Sample: Encodable {
            let a: Int
            let b: [String]
            let c: String?
            let d: Date
            let e: Bool

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(a, forKey: .a)
                try container.encode(b, forKey: .b)
                try container.encode(c, forKey: .c)
                try container.encode(d, forKey: .d)
                try container.encode(e, forKey: .e)
            }

            enum CodingKeys: String, CodingKey { case a, b, c, d, e }
        }
        let date = Date(timeIntervalSince1970: 1_800_000_000.75)
        var json = JSONWriter()
        json.object { json in
            json.field("a", 42)
            json.field("b", ["x", "y"])
            json.field("c", nil as String?)
            json.field("d", date)
            json.field("e", true)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601

        let expected = try encoder.encode(Sample(a: 42, b: ["x", "y"], c: nil, d: date, e: true))

        #expect(String(decoding: json.bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }
}
