import KeysmithCore
import Testing

struct CRC32Tests {
    @Test(arguments: [
        ("", UInt32(0)), ("123456789", 0xCBF4_3926), ("a", 0xE8B7_BE43),
        ("The quick brown fox jumps over the lazy dog", 0x414F_A339), ("ks_live_", 0x6135_F6B0),
    ])
    func checksumMatchesZlib(text: String, expected: UInt32) {
        #expect(CRC32.checksum(text) == expected)
        #expect(CRC32.checksum(Array(text.utf8)) == expected)
    }

    @Test(arguments: [0, 1, 4, 9])
    func incrementalUpdatesEqualOneChecksumOverTheWhole(split: Int) {
        let bytes = Array("123456789".utf8)
        var crc = CRC32()

        crc.update(bytes[..<split])
        crc.update(bytes[split...])

        #expect(crc.value == 0xCBF4_3926)
    }
}
