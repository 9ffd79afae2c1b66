import SystemCrypto
import Testing

/// Known answers from FIPS 180-4's examples and RFC 4231: the system libcrypto wrapper must give exactly these, or
/// every session hash and signed cookie made before would stop matching.
@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func hashesTheFIPSExamples(message: String, expected: String) {
        #expect(SHA256.hash(message.utf8).hex == expected)
        #expect(SHA256.hash(Array(message.utf8)).bytes.count == 32)
    }

    @Test func aMillionAsSpanManyBlocks() {
        #expect(
            SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)).hex
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

@Suite struct HMACSHA256Tests {
    private static func bytes(_ hex: String) -> [UInt8] {
        stride(from: 0, to: hex.count, by: 2).map {
            let start = hex.index(hex.startIndex, offsetBy: $0)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    /// RFC 4231 test cases 1, 2, 4, 6 and 7: short, text, 25-byte and longer-than-a-block keys.
    @Test(arguments: [
        (
            String(repeating: "0b", count: 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            "4a656665", Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            "0102030405060708090a0b0c0d0e0f10111213141516171819", [UInt8](repeating: 0xcd, count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        (
            String(repeating: "aa", count: 131), Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            String(repeating: "aa", count: 131),
            Array(
                "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
                    .utf8),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ])
    func matchesRFC4231(keyHex: String, message: [UInt8], expected: String) {
        let mac = HMACSHA256(key: Self.bytes(keyHex))
        #expect(mac.authenticationCode(for: message).hex == expected)
        // The precomputed states are copied, not consumed: the same key gives the same code again.
        #expect(mac.authenticationCode(for: message).hex == expected)
        #expect(mac.isValidAuthenticationCode(Self.bytes(expected), for: message))
    }

    @Test func aWrongOrShortCodeIsRefused() {
        let mac = HMACSHA256(key: Array("key".utf8))
        var code = mac.authenticationCode(for: Array("message".utf8)).bytes
        #expect(mac.isValidAuthenticationCode(code, for: Array("message".utf8)))
        #expect(!mac.isValidAuthenticationCode(code, for: Array("messagf".utf8)))
        #expect(!mac.isValidAuthenticationCode(code.dropLast(), for: Array("message".utf8)))
        code[31] ^= 1
        #expect(!mac.isValidAuthenticationCode(code, for: Array("message".utf8)))
    }

    @Test func randomKeysDiffer() {
        let message = Array("same message".utf8)
        let first = HMACSHA256.randomKey().authenticationCode(for: message)
        let second = HMACSHA256.randomKey().authenticationCode(for: message)
        #expect(first.hex != second.hex)
    }
}
