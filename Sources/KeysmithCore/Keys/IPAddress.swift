/// An IPv4 or IPv6 address as integers, so allowlist checks are mask compares; `description` is canonical (RFC 5952).
public enum IPAddress: Hashable, Sendable {
    case v4(UInt32)
    /// The 128 bits as two halves, most significant first (`UInt128` needs macOS 15).
    case v6(high: UInt64, low: UInt64)

    /// Parses a request's address; nil for anything that is not a plain IPv4 or IPv6 address.
    public init?(_ text: String) {
        guard case .success(let address) = Self.parse(text) else { return nil }
        self = address
    }

    /// Parses dotted-quad IPv4 (no leading zeros, octets ≤ 255) or IPv6 (`::`, embedded IPv4; no zone ids).
    public static func parse(_ text: String) -> Result<IPAddress, FieldMessage> {
        let bytes = Array(text.utf8)
        if bytes.contains(UInt8(ascii: ":")) {
            guard let (high, low) = parseV6(bytes[...]) else {
                return .failure(FieldMessage("“\(text)” is not a valid IPv6 address."))
            }
            return .success(.v6(high: high, low: low))
        }
        switch parseV4(bytes[...]) {
        case .success(let value): return .success(.v4(value))
        case .failure(.leadingZero):
            return .failure(FieldMessage("“\(text)” has an octet with a leading zero; write it without (10, not 010)."))
        case .failure(.octetTooLarge): return .failure(FieldMessage("“\(text)” has an octet above 255."))
        case .failure(.invalid): return .failure(FieldMessage("“\(text)” is not an IPv4 or IPv6 address."))
        }
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`), or the address itself for IPv4.
    public var ipv4: UInt32? {
        switch self {
        case .v4(let value): value
        case .v6(0, let low) where low >> 32 == 0xFFFF: UInt32(truncatingIfNeeded: low)
        case .v6: nil
        }
    }

    // MARK: Parsing

    /// Why dotted-quad text is not an IPv4 address; each gets its own message.
    enum V4Failure: Error { case invalid, leadingZero, octetTooLarge }

    static func parseV4(_ bytes: ArraySlice<UInt8>) -> Result<UInt32, V4Failure> {
        let octets = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard octets.count == 4 else { return .failure(.invalid) }
        var value: UInt32 = 0
        for octet in octets {
            guard (1...3).contains(octet.count), octet.allSatisfy(isDecimal) else { return .failure(.invalid) }
            guard octet.count == 1 || octet.first != UInt8(ascii: "0") else { return .failure(.leadingZero) }
            let number = octet.reduce(UInt32(0)) { $0 * 10 + UInt32($1 - UInt8(ascii: "0")) }
            guard number <= 255 else { return .failure(.octetTooLarge) }
            value = value << 8 | number
        }
        return .success(value)
    }

    static func parseV6(_ bytes: ArraySlice<UInt8>) -> (UInt64, UInt64)? {
        let colon = UInt8(ascii: ":")
        var gap: Int?
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            if bytes[index] == colon, bytes[index + 1] == colon {
                guard gap == nil else { return nil }
                gap = index
                index += 2
            } else {
                index += 1
            }
        }
        var groups: [UInt16]
        if let gap {
            let tail = bytes[(gap + 2)...]
            guard let head = hexGroups(bytes[..<gap], mayEndInIPv4: tail.isEmpty), let rest = hexGroups(tail, mayEndInIPv4: true),
                head.count + rest.count <= 7
            else { return nil }
            groups = head + Array(repeating: 0, count: 8 - head.count - rest.count) + rest
        } else {
            guard let all = hexGroups(bytes, mayEndInIPv4: true), all.count == 8 else { return nil }
            groups = all
        }
        let high = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        let low = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
        return (high, low)
    }

    /// Colon-separated groups of 1–4 hex digits; the last may be a dotted IPv4 address (two groups).
    private static func hexGroups(_ bytes: ArraySlice<UInt8>, mayEndInIPv4: Bool) -> [UInt16]? {
        guard !bytes.isEmpty else { return [] }
        let pieces = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (position, piece) in pieces.enumerated() {
            if mayEndInIPv4, position == pieces.count - 1, piece.contains(UInt8(ascii: ".")) {
                guard case .success(let value) = parseV4(piece) else { return nil }
                groups += [UInt16(value >> 16), UInt16(truncatingIfNeeded: value)]
                continue
            }
            guard (1...4).contains(piece.count) else { return nil }
            var group: UInt16 = 0
            for byte in piece {
                guard let digit = hexValue(byte) else { return nil }
                group = group << 4 | UInt16(digit)
            }
            groups.append(group)
        }
        return groups
    }

    private static func isDecimal(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension IPAddress: CustomStringConvertible {
    /// Dotted quad; IPv6 lowercase with the longest run of two or more zero groups as `::` (the first on a tie),
    /// IPv4-mapped as `::ffff:1.2.3.4`.
    public var description: String {
        switch self {
        case .v4(let value):
            return Self.dotted(value)
        case .v6(0, let low) where low >> 32 == 0xFFFF:
            return "::ffff:" + Self.dotted(UInt32(truncatingIfNeeded: low))
        case .v6(let high, let low):
            let groups = (0..<8).map { index in
                UInt16(truncatingIfNeeded: (index < 4 ? high : low) >> (16 * (3 - UInt64(index % 4))))
            }
            var best = (start: 0, count: 0)
            var run = (start: 0, count: 0)
            for (index, group) in groups.enumerated() {
                run = group == 0 ? (run.count == 0 ? (index, 1) : (run.start, run.count + 1)) : (0, 0)
                if run.count > best.count { best = run }
            }
            let hex = groups.map { String($0, radix: 16) }
            guard best.count >= 2 else { return hex.joined(separator: ":") }
            let head = hex[..<best.start].joined(separator: ":")
            let tail = hex[(best.start + best.count)...].joined(separator: ":")
            return head + "::" + tail
        }
    }

    static func dotted(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }
}
