/// A network in CIDR form whose host bits are all zero; `description` is the canonical text to store and show.
public struct IPRange: Hashable, Sendable, CustomStringConvertible {
    /// The network address (host bits zero).
    public let address: IPAddress
    public let prefixLength: Int

    /// Nil when the prefix length is out of range for the family or host bits are set.
    public init?(address: IPAddress, prefixLength: Int) {
        guard (0...Self.maxPrefixLength(address)).contains(prefixLength),
            Self.network(address, prefixLength) == address
        else { return nil }
        self.address = address
        self.prefixLength = prefixLength
    }

    private init(unchecked address: IPAddress, prefixLength: Int) {
        self.address = address
        self.prefixLength = prefixLength
    }

    /// Accepts `10.0.0.0/8`, `2001:db8::/32`, a bare address (/32 or /128) and `192.168.178.0 255.255.255.0`
    /// (or `…/255.255.255.0`). Host bits are cleared (`192.168.178.1/24` is `192.168.178.0/24`), as routers and
    /// firewalls read such an entry; only a `/0` with host bits is refused, since it would silently allow everyone.
    public static func parse(_ text: String) -> Result<IPRange, FieldMessage> {
        parseNoting(text).map(\.range)
    }

    /// `parse`, plus whether the stored form says something different from what was typed: host bits were cleared
    /// or a netmask became a prefix length — worth telling the user, who may have meant another network.
    public static func parseNoting(_ text: String) -> Result<(range: IPRange, rewritten: Bool), FieldMessage> {
        let entry = text.trimmingWhitespace()
        let fields = entry.split(omittingEmptySubsequences: true) { $0 == " " || $0 == "\t" }
        let addressText: Substring
        let suffix: Substring?
        if fields.count == 2 {
            (addressText, suffix) = (fields[0], fields[1])
        } else if fields.count == 1, let slash = entry.firstIndex(of: "/") {
            (addressText, suffix) = (entry[..<slash], entry[entry.index(after: slash)...])
        } else if fields.count == 1 {
            (addressText, suffix) = (entry[...], nil)
        } else {
            return .failure(
                FieldMessage(
                    entry.isEmpty ? "Enter an IP address or CIDR range." : "“\(entry)” is not an IP address or CIDR range."))
        }
        let address: IPAddress
        switch IPAddress.parse(String(addressText)) {
        case .success(let parsed): address = parsed
        case .failure(let message): return .failure(message)
        }
        let maxLength = maxPrefixLength(address)
        var prefixLength = maxLength
        if let suffix {
            if suffix.contains(".") {
                guard case .v4 = address else {
                    return .failure(
                        FieldMessage("“\(entry)”: a dotted netmask only works with IPv4; use a prefix length such as /64."))
                }
                guard case .success(let mask) = IPAddress.parseV4(Array(suffix.utf8)[...]) else {
                    return .failure(FieldMessage("“\(entry)”: “\(suffix)” is not a netmask."))
                }
                guard ~mask & (~mask &+ 1) == 0 else {
                    return .failure(
                        FieldMessage("“\(entry)”: the netmask \(suffix) is not contiguous (use one like 255.255.255.0)."))
                }
                prefixLength = mask.nonzeroBitCount
            } else {
                guard let length = Int(suffix), (0...maxLength).contains(length),
                    suffix.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                    suffix == "0" || !suffix.hasPrefix("0")
                else {
                    let family = maxLength == 32 ? "IPv4" : "IPv6"
                    return .failure(FieldMessage("“\(entry)”: the prefix length must be 0–\(maxLength) for \(family)."))
                }
                prefixLength = length
            }
        }
        let network = network(address, prefixLength)
        guard network == address || prefixLength > 0 else {
            return .failure(FieldMessage("“\(entry)” would allow every address; write \(network)/0 if you mean that."))
        }
        let usedNetmask = suffix?.contains(".") ?? false
        return .success((IPRange(unchecked: network, prefixLength: prefixLength), network != address || usedNetmask))
    }

    /// Whether `candidate` is inside; IPv4 and IPv4-mapped IPv6 (`::ffff:a.b.c.d`) are the same address here.
    public func contains(_ candidate: IPAddress) -> Bool {
        switch (address, candidate) {
        case (.v4(let network), _):
            guard let value = candidate.ipv4 else { return false }
            return value & Self.mask4(prefixLength) == network
        case (.v6, .v4(let value)):
            return contains(.v6(high: 0, low: 0xFFFF_0000_0000 | UInt64(value)))
        case (.v6(let high, let low), .v6(let candidateHigh, let candidateLow)):
            let (maskHigh, maskLow) = Self.mask6(prefixLength)
            return candidateHigh & maskHigh == high && candidateLow & maskLow == low
        }
    }

    /// `10.0.0.0/8`, `2001:db8::/32`; a single host is its bare address (`203.0.113.7`).
    public var description: String {
        prefixLength == Self.maxPrefixLength(address) ? address.description : cidr
    }

    /// Always with the prefix length.
    public var cidr: String { "\(address)/\(prefixLength)" }

    private static func maxPrefixLength(_ address: IPAddress) -> Int {
        if case .v4 = address { 32 } else { 128 }
    }

    private static func network(_ address: IPAddress, _ prefixLength: Int) -> IPAddress {
        switch address {
        case .v4(let value):
            return .v4(value & mask4(prefixLength))
        case .v6(let high, let low):
            let (maskHigh, maskLow) = mask6(prefixLength)
            return .v6(high: high & maskHigh, low: low & maskLow)
        }
    }

    /// Smart shifts: shifting by the full width or more yields zero.
    private static func mask4(_ length: Int) -> UInt32 { length == 0 ? 0 : UInt32.max << (32 - length) }

    private static func mask6(_ length: Int) -> (UInt64, UInt64) {
        let high: UInt64 = length == 0 ? 0 : UInt64.max << (64 - min(length, 64))
        let low: UInt64 = length <= 64 ? 0 : UInt64.max << (128 - length)
        return (high, low)
    }
}
