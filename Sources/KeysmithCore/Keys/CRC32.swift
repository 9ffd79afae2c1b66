/// CRC-32 (IEEE 802.3, reflected, as zlib's `crc32`), the offline checksum at the end of a generated secret.
public struct CRC32: Sendable, Hashable {
    private var state: UInt32 = 0xFFFF_FFFF

    public init() {}

    /// The checksum of everything fed so far.
    public var value: UInt32 { state ^ 0xFFFF_FFFF }

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        var crc = state
        let table = Self.table
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        state = crc
    }

    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }

    /// The checksum of the string's UTF-8 bytes.
    public static func checksum(_ string: some StringProtocol) -> UInt32 {
        checksum(string.utf8)
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        return crc
    }
}
