import Foundation
import KeysmithCore
import Testing

struct IPAllowlistTests {
    @Test func textParsesOneEntryPerLineSkippingBlanksAndMergingDuplicates() throws {
        let text = "10.0.0.0/8\n\n  2001:db8::/32 \r\n192.168.178.0 255.255.255.0\r\n10.0.0.0 255.0.0.0\n203.0.113.7\n"

        let allowlist = try IPAllowlist.parse(text: text).get()

        #expect(allowlist.entries == ["10.0.0.0/8", "2001:db8::/32", "192.168.178.0/24", "203.0.113.7"])
        #expect(allowlist.text == "10.0.0.0/8\n2001:db8::/32\n192.168.178.0/24\n203.0.113.7")
    }

    @Test(arguments: [
        (
            "10.0.0.0/8\n010.0.0.1\n\n10.0.0.1/0", true,
            "Line 2: “010.0.0.1” has an octet with a leading zero; write it without (10, not 010). "
                + "Line 4: “10.0.0.1/0” would allow every address; write 0.0.0.0/0 if you mean that."
        ),
        ("10.0.0.0/8\r\nnope", true, "Line 2: “nope” is not an IPv4 or IPv6 address."),
        ("ok\n", false, "Entry 1: “ok” is not an IPv4 or IPv6 address."),
    ])
    func everyBadEntryIsReportedWithItsPosition(input: String, isText: Bool, message: String) {
        let result = isText ? IPAllowlist.parse(text: input) : IPAllowlist.parse(input.components(separatedBy: "\n"))

        #expect(result == .failure(FieldMessage(message)))
    }

    @Test func rewritesNameEachEntryStoredDifferentlyThanTyped() {
        let entries = ["192.168.178.1 255.255.255.0", "10.0.0.0/8", " 10.1.2.3/16 ", "not an address", "203.0.113.7"]

        let rewrites = IPAllowlist.rewrites(entries)

        #expect(
            rewrites.map(\.description) == [
                "192.168.178.1 255.255.255.0 was stored as 192.168.178.0/24", "10.1.2.3/16 was stored as 10.1.0.0/16",
            ])
    }

    @Test(arguments: [(100, true), (101, false)])
    func atMostOneHundredEntriesAreAllowed(count: Int, valid: Bool) {
        let entries = (0..<count).map { "10.0.\($0).0/24" } + ["", " "]

        let result = IPAllowlist.parse(entries)

        if valid {
            #expect((try? result.get())?.ranges.count == count)
        } else {
            #expect(result == .failure(FieldMessage("Use at most 100 entries (found 101).")))
        }
    }

    @Test(
        arguments: [
            ([], "198.51.100.1", true), ([], "::1", true), (["10.0.0.0/8", "2001:db8::/32"], "10.1.1.1", true),
            (["10.0.0.0/8", "2001:db8::/32"], "2001:db8::5", true), (["10.0.0.0/8", "2001:db8::/32"], "::ffff:10.9.9.9", true),
            (["10.0.0.0/8", "2001:db8::/32"], "192.168.0.1", false), (["203.0.113.7"], "203.0.113.70", false),
        ] as [([String], String, Bool)]
    )
    func anEmptyAllowlistAllowsAnyAddressOtherwiseOnlyListedRanges(entries: [String], address: String, allowed: Bool) throws {
        let allowlist = try IPAllowlist.parse(entries).get()

        #expect(allowlist.contains(try IPAddress.parse(address).get()) == allowed)
        #expect(allowlist.isEmpty == entries.isEmpty)
    }

    @Test func allowlistsEncodeAsCanonicalEntriesAndRevalidateWhenDecoded() throws {
        let allowlist = try IPAllowlist.parse(["10.0.0.0 255.0.0.0", "2001:DB8::/32"]).get()

        let data = try JSONEncoder().encode(allowlist)

        #expect(String(decoding: data, as: UTF8.self) == #"["10.0.0.0\/8","2001:db8::\/32"]"#)
        #expect(try JSONDecoder().decode(IPAllowlist.self, from: data) == allowlist)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IPAllowlist.self, from: Data(#"["10.0.0.1/0"]"#.utf8)) }
    }
}
