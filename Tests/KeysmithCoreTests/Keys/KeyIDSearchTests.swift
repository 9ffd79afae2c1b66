import KeysmithCore
import Testing

struct KeyIDSearchTests {
    static let keyID = KeyID.generate(prefix: .default, environment: .live)
    static let generated = APIKeyToken.generate(for: keyID)

    @Test(arguments: [
        generated.value, "  \(generated.value)\t", "Bearer \(generated.value)", "bearer  \(generated.value)",
        "\(keyID.value)_a-custom-secret-of-24-chars!", keyID.value,
    ])
    func aPastedTokenOrKeyIDNamesItsKey(text: String) {
        #expect(KeyID(searching: text) == Self.keyID)
    }

    @Test func aGeneratedTokenWithATypoInItsSecretStillNamesItsKey() {
        var broken = Self.generated.value
        let last = broken.removeLast()
        broken.append(last == "a" ? "b" : "a")
        #expect(throws: TokenError.badChecksum) { try APIKeyToken(broken) }

        #expect(KeyID(searching: broken) == Self.keyID)
    }

    @Test(arguments: [
        "", "billing", "ks_live_", String(keyID.value.dropLast()), "\(keyID.value)_short", Self.generated.hint,
        "token: \(generated.value)", "Basic \(generated.value)",
    ])
    func anythingElseIsSearchedAsText(text: String) {
        #expect(KeyID(searching: text) == nil)
    }
}
