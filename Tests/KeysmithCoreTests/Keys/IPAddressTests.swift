import KeysmithCore
import Testing

struct IPAddressTests {
    @Test(arguments: [
        ("10.0.0.1", "10.0.0.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("::", "::"), ("::1", "::1"), ("2001:DB8::1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"), ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
        ("1:0:0:0:2:0:0:3", "1::2:0:0:3"), ("fe80::", "fe80::"), ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"), ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),
        ("::FFFF:0a00:0001", "::ffff:10.0.0.1"), ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
    ])
    func addressesParseAndPrintCanonically(text: String, canonical: String) throws {
        let address = try IPAddress.parse(text).get()

        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address)
    }

    @Test(arguments: [
        ("010.0.0.1", "“010.0.0.1” has an octet with a leading zero; write it without (10, not 010)."),
        ("10.0.0.01", "“10.0.0.01” has an octet with a leading zero; write it without (10, not 010)."),
        ("256.0.0.1", "“256.0.0.1” has an octet above 255."),
        ("1.2.3.999", "“1.2.3.999” has an octet above 255."),
        ("", "“” is not an IPv4 or IPv6 address."),
        ("1.2.3", "“1.2.3” is not an IPv4 or IPv6 address."),
        ("1.2.3.4.5", "“1.2.3.4.5” is not an IPv4 or IPv6 address."),
        ("1..2.3", "“1..2.3” is not an IPv4 or IPv6 address."),
        ("1.2.3.-1", "“1.2.3.-1” is not an IPv4 or IPv6 address."),
        ("1.2.3.1000", "“1.2.3.1000” is not an IPv4 or IPv6 address."),
        (" 1.2.3.4", "“ 1.2.3.4” is not an IPv4 or IPv6 address."),
        ("localhost", "“localhost” is not an IPv4 or IPv6 address."),
        (":::", "“:::” is not a valid IPv6 address."),
        ("1:2:3:4:5:6:7:8:9", "“1:2:3:4:5:6:7:8:9” is not a valid IPv6 address."),
        ("1:2:3:4:5:6:7", "“1:2:3:4:5:6:7” is not a valid IPv6 address."),
        ("1:2:3:4:5:6:7:8::", "“1:2:3:4:5:6:7:8::” is not a valid IPv6 address."),
        ("1::2::3", "“1::2::3” is not a valid IPv6 address."),
        (":1::", "“:1::” is not a valid IPv6 address."),
        ("12345::", "“12345::” is not a valid IPv6 address."),
        ("g::", "“g::” is not a valid IPv6 address."),
        ("fe80::1%eth0", "“fe80::1%eth0” is not a valid IPv6 address."),
        ("::ffff:300.0.0.1", "“::ffff:300.0.0.1” is not a valid IPv6 address."),
        ("::1.2.3.4:5", "“::1.2.3.4:5” is not a valid IPv6 address."),
        ("1.2.3.4:80", "“1.2.3.4:80” is not a valid IPv6 address."),
    ])
    func malformedAddressesAreRefusedWithAMessage(text: String, message: String) {
        #expect(IPAddress.parse(text) == .failure(FieldMessage(message)))
        #expect(IPAddress(text) == nil)
    }

    @Test(
        arguments: [("10.0.0.1", UInt32(0x0A00_0001)), ("::ffff:10.0.0.1", 0x0A00_0001), ("::1", nil), ("::10.0.0.1", nil)]
            as [(String, UInt32?)]
    )
    func ipv4MappedAddressesExposeTheirIPv4Address(text: String, ipv4: UInt32?) {
        #expect(IPAddress(text)?.ipv4 == ipv4)
    }
}
