import KeysmithCore

/// Tokens as gates receive them. What parses formats back to the same text, the whole token, the two-header form
/// and the Bearer credential agree, a secret generated for a key id parses back, and printing never shows a secret.
///
/// Input: the token text; for the two-header form, the key id and the secret on either side of the first line break.
enum TokenHarness {
    static func run(_ input: [UInt8]) throws(PropertyViolation) {
        let text = String(decoding: input, as: UTF8.self)
        if let token = try? APIKeyToken(text) { try check(token, parsedFrom: text) }
        if let token = try? AdminKeyToken(text) { try check(token, parsedFrom: text) }
        if let keyID = try? KeyID(text) { try check(keyID, parsedFrom: text, seed: input) }
        try checkPresentations(text)
    }

    private static func check(_ token: APIKeyToken, parsedFrom text: String) throws(PropertyViolation) {
        try expect(token.value == text, "APIKeyToken(“\(text)”) formats back as “\(token.value)”")
        try expect((try? APIKeyToken(token.value)) == token, "“\(text)” parses, but not the same way twice")
        try expect(
            (try? APIKeyToken(keyID: token.keyID.value, secret: token.secret)) == token,
            "“\(text)” as x-api-key + x-api-secret is not the same token")
        switch token.secretKind {
        case .generated:
            try expect(token.secret.utf8.count == APIKeyToken.generatedSecretLength, "“\(text)” is generated but too long")
        case .custom:
            try expect(
                (try? APIKeyToken.validateCustomSecret(token.secret)) != nil,
                "“\(text)” carries a custom secret no key could have been given")
        }
        // A custom secret may be a piece of a long key id, which is printed in full.
        if !token.keyID.value.contains(token.secret) { try expectHidden(token.secret, in: token, "APIKeyToken(“\(text)”)") }
    }

    private static func check(_ token: AdminKeyToken, parsedFrom text: String) throws(PropertyViolation) {
        try expect(token.value == text, "AdminKeyToken(“\(text)”) formats back as “\(token.value)”")
        try expect((try? AdminKeyToken(token.value)) == token, "admin token “\(text)” parses, but not the same way twice")
        try expect(AdminKeyID(token.id.value) != nil, "admin token “\(text)” has an id AdminKeyID refuses")
        // The gates answer an admin token as unknown by its look alone, and never take it for a project key.
        try expect(AdminKeyToken.looksLikeAdminToken(text), "admin token “\(text)” does not look like one to the gates")
        try expect((try? APIKeyToken(text)) == nil, "“\(text)” parses as an admin token and as a project key token")
        try expectHidden(token.secret, in: token, "AdminKeyToken(“\(text)”)")
    }

    private static func check(_ keyID: KeyID, parsedFrom text: String, seed: [UInt8]) throws(PropertyViolation) {
        try expect(keyID.value == text, "KeyID(“\(text)”) formats back as “\(keyID.value)”")
        var generator = SeededGenerator(seed: seed)
        let token = APIKeyToken.generate(for: keyID, using: &generator)
        try expect(
            (try? APIKeyToken(token.value)) == token && token.secretKind == .generated,
            "a secret generated for “\(text)” does not parse back as generated")
    }

    /// `x-api-key` alone, `Authorization: Bearer` and the two headers name the same credential.
    private static func checkPresentations(_ text: String) throws(PropertyViolation) {
        let alone = Result { () throws(TokenError) in try PresentedCredential(apiKey: text, apiSecret: nil, authorization: nil) }
        if text.utf8.contains(where: { $0 != 0x20 && $0 != 0x09 }) {
            let bearer = Result { () throws(TokenError) in
                try PresentedCredential(apiKey: nil, apiSecret: nil, authorization: "Bearer " + text)
            }
            try expect(alone == bearer, "“\(text)” is \(alone) as x-api-key but \(bearer) as a Bearer token")
        }
        guard let lineBreak = text.firstIndex(of: "\n") else { return }
        let (key, secret) = (String(text[..<lineBreak]), String(text[text.index(after: lineBreak)...]))
        if case .token(let token) = try? PresentedCredential(apiKey: key, apiSecret: secret, authorization: nil) {
            try expect(
                (try? APIKeyToken(token.value)) == token,
                "x-api-key “\(key)” + x-api-secret “\(secret)” is a token whose whole form “\(token.value)” is another")
        }
    }

    private static func expectHidden(_ secret: String, in token: Any, _ what: String) throws(PropertyViolation) {
        var dumped = ""
        dump(token, to: &dumped)
        for printed in [String(describing: token), String(reflecting: token), dumped] {
            try expect(!printed.contains(secret), "\(what) prints its secret: \(printed)")
        }
    }

    /// SplitMix64 over the input, so a generated secret is the same on every replay.
    private struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        init(seed: [UInt8]) {
            state = seed.reduce(0x9E37_79B9_7F4A_7C15) { ($0 ^ UInt64($1)) &* 0x1000_0000_01B3 }
        }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return value ^ (value >> 31)
        }
    }
}
