import KeysmithCore
import Testing

struct IPRangeTests {
    @Test(arguments: [
        ("10.0.0.0/8", "10.0.0.0/8"), ("2001:db8::/32", "2001:db8::/32"), ("192.168.178.0 255.255.255.0", "192.168.178.0/24"),
        ("192.168.178.0/255.255.255.0", "192.168.178.0/24"), ("10.0.0.0\t255.0.0.0", "10.0.0.0/8"),
        ("0.0.0.0 0.0.0.0", "0.0.0.0/0"), ("1.2.3.4 255.255.255.255", "1.2.3.4"), ("203.0.113.7", "203.0.113.7"),
        ("203.0.113.7/32", "203.0.113.7"), ("0.0.0.0/0", "0.0.0.0/0"), ("::/0", "::/0"), ("2001:db8::1/128", "2001:db8::1"),
        ("  10.0.0.0/8  ", "10.0.0.0/8"), ("::ffff:10.0.0.0/104", "::ffff:10.0.0.0/104"), ("2001:DB8:0:0::/64", "2001:db8::/64"),
        ("128.0.0.0/1", "128.0.0.0/1"), ("8000::/1", "8000::/1"), ("2001:db8::8000:0:0:0/65", "2001:db8:0:0:8000::/65"),
    ])
    func rangesParseAndPrintCanonically(text: String, canonical: String) throws {
        let range = try IPRange.parse(text).get()

        #expect(range.description == canonical)
        #expect(try IPRange.parse(canonical).get() == range)
    }

    /// Seed 003's own example: an address inside the network plus its netmask, or a CIDR with host bits, is the
    /// network, as a router reads it; `rewritten` tells the console to say what was stored.
    @Test(arguments: [
        ("192.168.178.1 255.255.255.0", "192.168.178.0/24", true), ("192.168.178.1/255.255.255.0", "192.168.178.0/24", true),
        ("192.168.178.1/24", "192.168.178.0/24", true), ("10.0.0.1/8", "10.0.0.0/8", true),
        ("2001:db8::1/32", "2001:db8::/32", true), ("192.168.178.0 255.255.255.0", "192.168.178.0/24", true),
        ("192.168.178.0/24", "192.168.178.0/24", false), ("203.0.113.7", "203.0.113.7", false),
        ("203.0.113.7/32", "203.0.113.7", false),
    ])
    func hostBitsAndNetmasksAreStoredAsTheNetwork(text: String, stored: String, rewritten: Bool) throws {
        let parsed = try IPRange.parseNoting(text).get()

        #expect(parsed.range.description == stored)
        #expect(parsed.rewritten == rewritten)
        #expect(try IPRange.parse(text).get() == parsed.range)
    }

    @Test(arguments: [
        ("1.2.3.4/0", "“1.2.3.4/0” would allow every address; write 0.0.0.0/0 if you mean that."),
        ("1.2.3.4 0.0.0.0", "“1.2.3.4 0.0.0.0” would allow every address; write 0.0.0.0/0 if you mean that."),
        ("2001:db8::1/0", "“2001:db8::1/0” would allow every address; write ::/0 if you mean that."),
        ("10.0.0.0/33", "“10.0.0.0/33”: the prefix length must be 0–32 for IPv4."),
        ("::/129", "“::/129”: the prefix length must be 0–128 for IPv6."),
        ("10.0.0.0/-1", "“10.0.0.0/-1”: the prefix length must be 0–32 for IPv4."),
        ("10.0.0.0/+8", "“10.0.0.0/+8”: the prefix length must be 0–32 for IPv4."),
        ("10.0.0.0/08", "“10.0.0.0/08”: the prefix length must be 0–32 for IPv4."),
        ("10.0.0.0/", "“10.0.0.0/”: the prefix length must be 0–32 for IPv4."),
        ("10.0.0.0/8/8", "“10.0.0.0/8/8”: the prefix length must be 0–32 for IPv4."),
        (
            "10.0.0.0 255.0.255.0",
            "“10.0.0.0 255.0.255.0”: the netmask 255.0.255.0 is not contiguous (use one like 255.255.255.0)."
        ),
        (
            "10.0.0.0 0.255.255.255",
            "“10.0.0.0 0.255.255.255”: the netmask 0.255.255.255 is not contiguous (use one like 255.255.255.0)."
        ),
        ("10.0.0.0 255.255.255.256", "“10.0.0.0 255.255.255.256”: “255.255.255.256” is not a netmask."),
        (
            "2001:db8:: 255.255.0.0",
            "“2001:db8:: 255.255.0.0”: a dotted netmask only works with IPv4; use a prefix length such as /64."
        ),
        ("010.0.0.0/8", "“010.0.0.0” has an octet with a leading zero; write it without (10, not 010)."),
        ("300.0.0.0/8", "“300.0.0.0” has an octet above 255."),
        ("garbage", "“garbage” is not an IPv4 or IPv6 address."),
        ("10.0.0.0 / 8", "“10.0.0.0 / 8” is not an IP address or CIDR range."),
        ("", "Enter an IP address or CIDR range."),
    ])
    func badRangesAreRefusedWithAClearMessage(text: String, message: String) {
        #expect(IPRange.parse(text) == .failure(FieldMessage(message)))
    }

    /// Range, candidate address, expected membership.
    @Test(arguments: [
        ("10.0.0.0/8", "10.0.0.0", true), ("10.0.0.0/8", "10.255.255.255", true), ("10.0.0.0/8", "11.0.0.0", false),
        ("10.0.0.0/8", "9.255.255.255", false), ("0.0.0.0/0", "1.2.3.4", true), ("0.0.0.0/0", "::1", false),
        ("0.0.0.0/0", "::ffff:1.2.3.4", true), ("10.0.0.0/8", "::ffff:10.0.0.1", true), ("10.0.0.0/8", "::ffff:11.0.0.1", false),
        ("10.0.0.0/8", "::10.0.0.1", false), ("10.0.0.0/8", "2001:db8::1", false), ("203.0.113.7", "203.0.113.7", true),
        ("203.0.113.7", "203.0.113.8", false), ("::/0", "2001:db8::1", true), ("::/0", "1.2.3.4", true),
        ("2001:db8::/32", "2001:db8:ffff::1", true), ("2001:db8::/32", "2001:db9::", false),
        ("::ffff:10.0.0.0/104", "10.1.2.3", true), ("::ffff:10.0.0.0/104", "11.1.2.3", false),
        ("2001:db8::1", "2001:db8::1", true), ("2001:db8::1", "2001:db8::2", false),
        ("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff", true), ("2001:db8::/64", "2001:db8:0:1::", false),
        ("2001:db8::/65", "2001:db8::7fff:0:0:0", true), ("2001:db8::/65", "2001:db8::8000:0:0:0", false),
        ("192.168.178.0 255.255.255.0", "192.168.178.254", true), ("192.168.178.0 255.255.255.0", "192.168.179.1", false),
    ])
    func containsComparesUnderTheMaskAndTreatsIPv4MappedAsIPv4(range: String, address: String, expected: Bool) throws {
        let range = try IPRange.parse(range).get()
        let address = try IPAddress.parse(address).get()

        #expect(range.contains(address) == expected)
    }

    @Test(arguments: [
        (IPAddress.v4(0x0A00_0000), 8, true), (.v4(0x0A00_0001), 8, false), (.v4(0), 33, false), (.v4(0), -1, false),
        (.v6(high: 0, low: 1), 128, true), (.v6(high: 0, low: 1), 127, false), (.v6(high: 0, low: 0), 129, false),
    ])
    func memberwiseInitRefusesHostBitsAndOutOfRangePrefixes(address: IPAddress, prefixLength: Int, valid: Bool) {
        #expect((IPRange(address: address, prefixLength: prefixLength) != nil) == valid)
    }
}
