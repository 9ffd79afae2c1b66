import Foundation
import KeysmithCore
import Testing

struct KeyIDTests {
    @Test(arguments: [
        ("ks_live_0123456789ABCDEF", KeyEnvironment.live, "ks"),
        ("acme_sandbox_ZZZZZZZZZZZZZZZZ", .sandbox, "acme"),
        ("abcdefgh_live_zzzzzzzzzzzzzzzz", .live, "abcdefgh"),
    ])
    func wellFormedKeyIDsParseWithTheirEnvironmentAndPrefix(
        text: String,
        environment: KeyEnvironment,
        prefix: String
    )
        throws
    {
        let keyID = try KeyID(text)

        #expect(keyID.value == text)
        #expect(keyID.environment == environment)
        #expect(keyID.prefix == prefix)
    }

    @Test(arguments: [
        "", "ks", "ks_live_", "k_live_0123456789ABCDEF", "abcdefghi_live_0123456789ABCDEF", "KS_live_0123456789ABCDEF",
        "ks_prod_0123456789ABCDEF", "ks_Live_0123456789ABCDEF", "ks_live_0123456789ABCDE", "ks_live_0123456789ABCDEFG",
        "ks_live_0123456789ABCDE_", "ks_live_0123456789ABCDE!", "ks-live-0123456789ABCDEF", " ks_live_0123456789ABCDEF",
        "ks_live_0123456789ABCDEF ", "ks__live_0123456789ABCDEF", "ks_live0123456789ABCDEF", "ks_live_0123456789ABCDÉ",
        "k1_live_0123456789ABCDEF", "ks_live_0123456789ABCDEF_" + KeysFixture.secretText,
    ])
    func malformedKeyIDsAreRejected(text: String) {
        #expect(throws: TokenError.malformed) { try KeyID(text) }
    }

    @Test(arguments: KeyEnvironment.allCases, ["ks", "acme", "zz", "abcdefgh"])
    func generatedKeyIDsHaveTheDocumentedShapeAndParseBack(environment: KeyEnvironment, prefix: String) throws {
        let keyID = KeyID.generate(prefix: KeyPrefix(unchecked: prefix), environment: environment)

        #expect(keyID.value.hasPrefix("\(prefix)_\(environment.rawValue)_"))
        #expect(keyID.value.utf8.count == prefix.count + environment.rawValue.count + 2 + KeyID.randomLength)
        #expect(try KeyID(keyID.value) == keyID)
    }

    @Test(arguments: [
        ("ks_live_0123456789ABCDEF", "abcdefghijklmnopqrstuvwxyz0123453QBKnQ", "ks_live_0123…BKnQ"),
        ("ks_sandbox_ZZZZZZZZZZZZZZZZ", "my_custom-secret_value!#42", "ks_sandbox_Z…!#42"),
    ])
    func hintIsTheFirstTwelveCharactersOfTheKeyIDAndTheLastFourOfTheSecret(
        keyID: String,
        secret: String,
        hint: String
    )
        throws
    {
        #expect(try KeyID(keyID).hint(secret: secret) == hint)
    }

    @Test func keyIDsEncodeAsTheirTextAndRefuseMalformedTextWhenDecoded() throws {
        let encoded = try JSONEncoder().encode([KeysFixture.keyID])

        #expect(String(decoding: encoded, as: UTF8.self) == "[\"ks_live_0123456789ABCDEF\"]")
        #expect(try JSONDecoder().decode([KeyID].self, from: encoded) == [KeysFixture.keyID])
        #expect(throws: (any Error).self) { try JSONDecoder().decode([KeyID].self, from: Data("[\"ks_live_x\"]".utf8)) }
    }
}
