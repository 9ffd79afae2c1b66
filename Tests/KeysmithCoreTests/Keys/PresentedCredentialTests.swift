import KeysmithCore
import Testing

struct PresentedCredentialTests {
    static let token = KeysFixture.tokenText
    static let keyID = KeysFixture.keyIDText
    static let secret = KeysFixture.secretText
    static let otherToken = "ks_sandbox_ZZZZZZZZZZZZZZZZ_" + KeysFixture.customSecret

    /// `x-api-key`, `x-api-secret`, `Authorization`, and the token expected (nil: no credential).
    @Test(
        arguments: [
            (nil, nil, nil, nil),
            ("", " ", "", nil),
            (token, nil, nil, token),
            ("  \(token)\t", nil, nil, token),
            (keyID, secret, nil, token),
            (" \(keyID) ", " \(secret) ", nil, token),
            (nil, nil, "Bearer \(token)", token),
            (nil, nil, "bearer   \(token)  ", token),
            (nil, nil, "BEARER\t\(token)", token),
            (nil, nil, "Basic dXNlcjpwYXNz", nil),
            (nil, nil, "Token \(token)", nil),
            (token, nil, "Bearer \(token)", token),  // the same key twice is one credential
            (keyID, secret, "Bearer \(token)", token),
            (token, nil, "Basic dXNlcjpwYXNz", token),  // Basic is for the upstream, not a second key
            ("", nil, "Bearer \(otherToken)", otherToken),
        ] as [(String?, String?, String?, String?)]
    )
    func headersYieldTheKeyHeadersFirstThenABearerToken(
        apiKey: String?,
        apiSecret: String?,
        authorization: String?,
        expected: String?
    ) throws {
        let credential = try PresentedCredential(apiKey: apiKey, apiSecret: apiSecret, authorization: authorization)

        #expect(credential == (try expected.map { .token(try APIKeyToken($0)) } ?? .missing))
    }

    @Test(
        arguments: [
            (keyID, nil, nil, TokenError.malformed),  // a key id alone is not a token
            (nil, secret, nil, .malformed),  // a secret without its key id
            (token, secret, nil, .malformed),  // with x-api-secret, x-api-key must be a key id
            (token, nil, "Bearer \(otherToken)", .ambiguous),  // two different keys: neither is believed
            (keyID, secret, "Bearer \(otherToken)", .ambiguous),
            (nil, nil, "Bearer", .malformed),
            (nil, nil, "Bearer    ", .malformed),
            (nil, nil, "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", .malformed),
            (nil, nil, "Bearer \(keyID)_abcdefghijklmnopqrstuvwxyz0123453QBKnR", .badChecksum),
            (keyID, "abcdefghijklmnopqrstuvwxyz0123453QBKnR", nil, .badChecksum),
            ("not-a-key", nil, "Bearer \(token)", .malformed),
        ] as [(String?, String?, String?, TokenError)]
    )
    func badCredentialsAreRejectedBeforeAnyLookup(
        apiKey: String?,
        apiSecret: String?,
        authorization: String?,
        error: TokenError
    ) {
        #expect(throws: error) {
            try PresentedCredential(apiKey: apiKey, apiSecret: apiSecret, authorization: authorization)
        }
    }
}
