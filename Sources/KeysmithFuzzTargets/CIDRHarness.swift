import Foundation
import KeysmithCore

/// Addresses, CIDR ranges (prefix length or netmask) and allowlists. Canonical text parses back to the same value, a
/// range holds exactly its addresses (checked against `UInt128` arithmetic of its own), IPv4 and IPv4-mapped IPv6 are
/// one address, and a range written with host bits or a netmask is stored as its network.
///
/// Input: one allowlist entry, or several on separate lines.
enum CIDRHarness {
    static func run(_ input: [UInt8]) throws(PropertyViolation) {
        let text = String(decoding: input, as: UTF8.self)
        if case .success(let address) = IPAddress.parse(text) { try check(address, parsedFrom: text) }
        switch IPRange.parse(text) {
        case .success(let range): try check(range, parsedFrom: text)
        case .failure(let message): try checkSuggestion(in: message, for: text)
        }
        if case .success(let allowlist) = IPAllowlist.parse(text: text) { try check(allowlist, parsedFrom: text) }
    }

    private static func check(_ address: IPAddress, parsedFrom text: String) throws(PropertyViolation) {
        try expect(IPAddress(address.description) == address, "“\(text)” is \(address), which does not parse back")
        guard let ipv4 = address.ipv4 else { return }
        let mapped = IPAddress.v6(high: 0, low: 0xFFFF_0000_0000 | UInt64(ipv4))
        try expect(
            IPAddress(mapped.description) == mapped && mapped.ipv4 == ipv4,
            "“\(text)” as IPv4-mapped IPv6, \(mapped), does not parse back to the same address")
    }

    private static func check(_ range: IPRange, parsedFrom text: String) throws(PropertyViolation) {
        try expect(IPRange.parse(range.description) == .success(range), "“\(text)” is \(range), which does not parse back")
        try expect(IPRange.parse(range.cidr) == .success(range), "“\(text)” is \(range.cidr), which does not parse back")
        try expect(
            IPRange(address: range.address, prefixLength: range.prefixLength) == range,
            "“\(text)” parses to \(range.cidr), which IPRange(address:prefixLength:) refuses")
        let (first, last, top): (UInt128, UInt128, UInt128)
        let address: (UInt128) -> IPAddress
        switch range.address {
        case .v4(let network):
            let hostBits = UInt32.max >> range.prefixLength
            let mask = IPAddress.v4(~hostBits).description
            for netmaskForm in ["\(range.address) \(mask)", "\(range.address)/\(mask)"] {
                try expect(
                    IPRange.parse(netmaskForm) == .success(range), "“\(text)” is \(range), but “\(netmaskForm)” is not")
            }
            (first, last, top) = (UInt128(network), UInt128(network | hostBits), UInt128(UInt32.max))
            address = { .v4(UInt32($0)) }
        case .v6(let high, let low):
            let network = UInt128(high) << 64 | UInt128(low)
            (first, last, top) = (network, network | UInt128.max >> range.prefixLength, .max)
            address = { .v6(high: UInt64($0 >> 64), low: UInt64(truncatingIfNeeded: $0)) }
        }
        var boundaries = [(first, true), (last, true)]
        if first > 0 { boundaries.append((first - 1, false)) }
        if last < top { boundaries.append((last + 1, false)) }
        for (value, inside) in boundaries {
            let candidate = address(value)
            try expect(range.contains(candidate) == inside, "\(range.cidr) contains \(candidate): \(!inside)")
            guard let ipv4 = candidate.ipv4 else { continue }
            for form in [IPAddress.v4(ipv4), .v6(high: 0, low: 0xFFFF_0000_0000 | UInt64(ipv4))] {
                try expect(range.contains(form) == inside, "\(range.cidr) contains \(candidate) but not \(form), or back")
            }
        }
    }

    /// `“10.0.0.1/8”: host bits set; did you mean 10.0.0.0/8?` must suggest a range that parses.
    private static func checkSuggestion(in message: FieldMessage, for text: String) throws(PropertyViolation) {
        let marker = "host bits set; did you mean "
        guard let start = message.text.range(of: marker, options: .backwards), message.text.hasSuffix("?") else { return }
        let suggestion = String(message.text[start.upperBound...].dropLast())
        guard case .success(let range) = IPRange.parse(suggestion) else {
            throw PropertyViolation(description: "“\(text)” is refused with the suggestion \(suggestion), which is refused too")
        }
        try expect(range.cidr == suggestion, "“\(text)”: the suggestion \(suggestion) is not canonical (\(range.cidr))")
    }

    private static func check(_ allowlist: IPAllowlist, parsedFrom text: String) throws(PropertyViolation) {
        try expect(allowlist.ranges.count <= IPAllowlist.maxEntries, "“\(text)” gives more than 100 entries")
        try expect(Set(allowlist.ranges).count == allowlist.ranges.count, "“\(text)” gives duplicate entries")
        try expect(IPAllowlist.parse(text: allowlist.text) == .success(allowlist), "the allowlist “\(text)” does not parse back")
        try expect(IPAllowlist.parse(allowlist.entries) == .success(allowlist), "the entries of “\(text)” do not parse back")
        let json = try? JSONDecoder().decode(IPAllowlist.self, from: JSONEncoder().encode(allowlist))
        try expect(json == allowlist, "the allowlist “\(text)” does not survive JSON")
    }
}
