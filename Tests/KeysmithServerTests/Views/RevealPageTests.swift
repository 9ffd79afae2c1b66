import KeysmithCore
import Testing

@testable import KeysmithServer

/// The reveal page's model, without HTTP: the token is the subject, the secret is printed twice at most.
@Suite struct RevealPageTests {
    static let token = APIKeyToken.generate(for: KeyID.generate(prefix: .default, environment: .sandbox))

    static func page(_ token: APIKeyToken = token, rotated: Bool = false) -> RevealPage {
        let revealed = RevealedSecret(
            keyID: token.keyID.value, secret: token.secret, token: token.value, rotated: rotated,
            graceNote: rotated ? "The old secret keeps working until 02 Jan 2026, 13:00 UTC." : nil)
        return RevealPage(
            layout: KeyListPageTests.layout, keyName: "Billing", revealed: revealed, baseURL: "http://127.0.0.1:8080")
    }

    @Test func theCurlExampleReadsTheTokenFromTheEnvironmentInsteadOfPrintingIt() {
        let page = Self.page()

        #expect(page.curlExample == #"curl -H "Authorization: Bearer $KEYSMITH_TOKEN" http://127.0.0.1:8080/api/v1/whoami"#)
        #expect(!page.curlExample.contains(Self.token.secret))
    }

    @Test func tokenKeyIDAndSecretAreThoseRevealedAndLinksComeFromSiteURL() {
        let page = Self.page(rotated: true)

        #expect(page.token == Self.token.value)
        #expect(page.keyID == Self.token.keyID.value && page.secret == Self.token.secret)
        #expect(page.keyURL == "/keys/\(Self.token.keyID.value)" && page.listURL == "/keys")
        #expect(page.wasRotated && page.graceNote?.hasPrefix("The old secret keeps working") == true)
    }

    @Test func theTokenBoxHasARowPerThirtyCharactersWhereCSSCannotSizeIt() throws {
        let custom = try APIKeyToken(keyID: Self.token.keyID, customSecret: String(repeating: "s", count: 256))

        #expect(Self.page().tokenRows == 3)  // 66 characters: ks_sandbox_ + 16 + _ + 38
        #expect(Self.page(custom).tokenRows == 10)
    }
}
