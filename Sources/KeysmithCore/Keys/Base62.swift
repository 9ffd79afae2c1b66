/// Base62 (`0-9A-Za-z`) for key ids, secrets and checksums: `_`-free, so a double-click selects a whole token.
public enum Base62 {
    /// The 62 digits in value order, as ASCII bytes.
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// `count` digits drawn uniformly from the system CSPRNG.
    public static func random(count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return random(count: count, using: &generator)
    }

    /// Uniform digits by rejection sampling: 6-bit draws of 62 or 63 are discarded, so there is no modulo bias.
    public static func random(count: Int, using generator: inout some RandomNumberGenerator) -> String {
        precondition(count >= 0, "count must not be negative")
        var bytes = [UInt8]()
        bytes.reserveCapacity(count)
        while bytes.count < count {
            var bits = generator.next()
            for _ in 0..<10 where bytes.count < count {
                let value = Int(bits & 0x3F)
                bits >>= 6
                if value < 62 { bytes.append(alphabet[value]) }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Six digits, most significant first, zero-padded (62⁶ > 2³², so every `UInt32` fits).
    public static func encode(_ value: UInt32) -> String {
        var digits = [UInt8](repeating: alphabet[0], count: 6)
        var rest = value
        for index in digits.indices.reversed() {
            digits[index] = alphabet[Int(rest % 62)]
            rest /= 62
        }
        return String(decoding: digits, as: UTF8.self)
    }

    /// The value of one ASCII digit, or nil for a byte outside the alphabet.
    @inlinable
    public static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte &- UInt8(ascii: "A") &+ 10
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte &- UInt8(ascii: "a") &+ 36
        default: nil
        }
    }

    /// Whether every byte is a base62 digit.
    @inlinable
    public static func isDigits(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.allSatisfy { value(of: $0) != nil }
    }

    /// Decodes digits most significant first; nil for a non-digit or more than 10 digits (overflow).
    public static func decode(_ bytes: some Collection<UInt8>) -> UInt64? {
        guard bytes.count <= 10 else { return nil }
        var result: UInt64 = 0
        for byte in bytes {
            guard let digit = value(of: byte) else { return nil }
            result = result * 62 + UInt64(digit)
        }
        return result
    }
}
