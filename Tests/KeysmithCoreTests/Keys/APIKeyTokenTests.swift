import KeysmithCore
import Testing

struct APIKeyTokenTests {
    @Test func tokenWithAnIndependentlyComputedChecksumParsesAsGenerated() throws {
        let token = try APIKeyToken(KeysFixture.tokenText)

        #expect(token.keyID == (try KeysFixture.keyID))
        #expect(token.secret == KeysFixture.secretText)
        #expect(token.secretKind == .generated)
        #expect(token.value == KeysFixture.tokenText)
    }

    @Test(arguments: KeyEnvironment.allCases, ["ks", "acme", "abcdefgh"])
    func generatedTokensHaveTheDocumentedShapeAndVerifyTheirChecksum(
        environment: KeyEnvironment,
        prefix: String
    )
        throws
    {
        let keyID = KeyID.generate(prefix: KeyPrefix(unchecked: prefix), environment: environment)

        let token = APIKeyToken.generate(for: keyID)

        #expect(token.secret.utf8.count == 38)
        #expect(Base62.isDigits(token.secret.utf8))
        #expect(token.value == "\(keyID.value)_\(token.secret)")
        #expect(try APIKeyToken(token.value) == token)
        #expect(try APIKeyToken(keyID: keyID.value, secret: token.secret) == token)
    }

    @Test(arguments: [
        "ks_live_0123456789ABCDEF_abcdefghijklmnopqrstuvwxyz0123453QBKnR",  // last checksum digit
        "ks_live_0123456789ABCDEF_abcdefghijklmnopqrstuvwxyz0123450QBKnQ",  // first checksum digit
        "ks_live_0123456789ABCDEF_Abcdefghijklmnopqrstuvwxyz0123453QBKnQ",  // random part, case flipped
        "ks_live_0123456789ABCDEF_bacdefghijklmnopqrstuvwxyz0123453QBKnQ",  // random part, swapped digits
        "ks_live_0123456789ABCDEe_abcdefghijklmnopqrstuvwxyz0123453QBKnQ",  // key id is covered too
        "ks_sandbox_0123456789ABCDEF_abcdefghijklmnopqrstuvwxyz0123453QBKnQ",  // so is the environment
        "kt_live_0123456789ABCDEF_abcdefghijklmnopqrstuvwxyz0123453QBKnQ",  // and the prefix
        "ks_live_0123456789ABCDEF_abcdefghijklmnopqrstuvwxyz012345zzzzzz",  // checksum above UInt32.max
    ])
    func tokensWithAWrongChecksumAreRejectedAsBadChecksum(token: String) {
        #expect(throws: TokenError.badChecksum) { try APIKeyToken(token) }
    }

    @Test(arguments: [
        "", "_", "ks_live_0123456789ABCDEF", "ks_live_0123456789ABCDEF_",
        "ks_live_0123456789ABCDEFabcdefghijklmnopqrstuvwxyz0123453QBKnQ",
        "ks_live_0123456789ABCDEF_short", "ks_live_0123456789ABCDEF_" + String(repeating: "x", count: 23),
        "ks_live_0123456789ABCDEF_" + String(repeating: "x", count: 257),
        "ks_live_0123456789ABCDEF_has a space in the secret here", "ks_live_0123456789ABCDEF_tab\there-and-more-characters",
        "ks_live_0123456789ABCDEF_" + String(repeating: "é", count: 30), "ks_live_0123456789ABCDEF_ends-with-newline-1234\n",
        "ks_live_0123456789ABCDEF_del\u{7F}-and-more-characters-xx", " " + KeysFixture.tokenText, KeysFixture.tokenText + " ",
        "Bearer " + KeysFixture.tokenText, "ks_prod_0123456789ABCDEF_abcdefghijklmnopqrstuvwxyz0123453QBKnQ",
        "ks_live_0123456789ABCDE_abcdefghijklmnopqrstuvwxyz0123453QBKnQ", "x_live_0123456789ABCDEF_abcdefghijklmnopqrstuvwxyz",
    ])
    func malformedTokensAreRejectedAsMalformed(token: String) {
        #expect(throws: TokenError.malformed) { try APIKeyToken(token) }
    }

    @Test(arguments: [
        KeysFixture.customSecret, String(repeating: "a", count: 24), String(repeating: "~", count: 256),
        "abcdefghijklmnopqrstuvwxyz012345" + "3QBKnQ" + "_", "0123456789012345678901234567890123456",
        "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    ])
    func customSecretsParseAsCustomAndSplitAfterTheFixedShapeKeyID(secret: String) throws {
        let token = try APIKeyToken(KeysFixture.keyIDText + "_" + secret)

        #expect(token.keyID == (try KeysFixture.keyID))
        #expect(token.secret == secret)
        #expect(token.secretKind == .custom)
        #expect(try APIKeyToken(keyID: KeysFixture.keyIDText, secret: secret) == token)
        #expect(try APIKeyToken(keyID: KeysFixture.keyID, customSecret: secret) == token)
    }

    @Test func twoPartFormChecksTheChecksumAgainstTheGivenKeyID() {
        #expect(throws: TokenError.badChecksum) {
            try APIKeyToken(keyID: "ks_live_0123456789ABCDEX", secret: KeysFixture.secretText)
        }
        #expect(throws: TokenError.malformed) { try APIKeyToken(keyID: KeysFixture.tokenText, secret: KeysFixture.secretText) }
        #expect(throws: TokenError.malformed) { try APIKeyToken(keyID: KeysFixture.keyIDText, secret: "") }
    }

    @Test(
        arguments: [
            (KeysFixture.customSecret, nil), (String(repeating: "a", count: 23), TokenError.customSecretTooShort),
            (String(repeating: "a", count: 257), .customSecretTooLong),
            ("has spaces in it, which is not ok", .customSecretInvalidCharacters),
            ("non-ascii-ünïcödé-characters-here", .customSecretInvalidCharacters),
            ("line\nbreak-inside-the-secret-xx", .customSecretInvalidCharacters),
            ("abcdefghijklmnopqrstuvwxyz0123453QBKnQ", .customSecretLooksGenerated),
            ("abcdefghijklmnopqrstuvwxyz0123453QBKnQx", nil),
        ] as [(String, TokenError?)]
    )
    func customSecretsMustBe24To256PrintableCharactersAndNotLookGenerated(secret: String, error: TokenError?) {
        if let error {
            #expect(throws: error) { try APIKeyToken.validateCustomSecret(secret) }
        } else {
            #expect(throws: Never.self) { try APIKeyToken.validateCustomSecret(secret) }
        }
    }

    @Test func printingATokenShowsOnlyItsHint() throws {
        let token = try APIKeyToken(KeysFixture.tokenText)
        var dumped = ""
        dump(token, to: &dumped)

        for text in ["\(token)", String(reflecting: token), dumped] {
            #expect(!text.contains(token.secret))
            #expect(text.contains("ks_live_0123…BKnQ"))
        }
        #expect(token.hint == "ks_live_0123…BKnQ")
    }
}
