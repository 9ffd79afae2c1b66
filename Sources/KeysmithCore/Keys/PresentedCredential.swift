/// The credential a request presents (DESIGN §4), before any lookup: nothing, or a well-formed token.
///
/// Precedence: `x-api-key` (with `x-api-secret` it must be a key id, alone a whole token), then
/// `Authorization: Bearer <token>`; both at once must be the same key (`TokenError.ambiguous` otherwise). A non-Bearer
/// `Authorization` (e.g. Basic for an upstream) counts as absent.
/// Verify bodies reuse it: `{"token"}` as `apiKey`, `{"key", "secret"}` as `apiKey` + `apiSecret`.
///
/// An admin key (`ksa_…`) parses as `adminToken`: the management API accepts it, the gates answer it as unknown.
public enum PresentedCredential: Hashable, Sendable {
    case missing
    case token(APIKeyToken)
    case adminToken(AdminKeyToken)

    public init(apiKey: String?, apiSecret: String?, authorization: String?) throws(TokenError) {
        let apiKey = apiKey.flatMap(Self.nonEmptyTrimmed)
        let apiSecret = apiSecret.flatMap(Self.nonEmptyTrimmed)
        let bearer = authorization.flatMap(Self.nonEmptyTrimmed).flatMap(Self.bearerToken)
        switch (apiKey, apiSecret) {
        case (let key?, let secret?):
            self = .token(try APIKeyToken(keyID: key, secret: secret))
        case (let token?, nil):
            self = try Self.whole(token)
        case (nil, _?):
            throw .malformed
        case (nil, nil):
            self = try bearer.map(Self.whole) ?? .missing
            return
        }
        // Both header forms at once must name the same key: answering as either would let a proxy that checks one
        // header and an upstream that reads the other disagree about who is calling.
        if let bearer, try Self.whole(bearer) != self { throw .ambiguous }
    }

    /// A whole token of either kind.
    private static func whole(_ token: String) throws(TokenError) -> PresentedCredential {
        AdminKeyToken.looksLikeAdminToken(token) ? .adminToken(try AdminKeyToken(token)) : .token(try APIKeyToken(token))
    }

    /// The token of a `Bearer` credential (scheme case-insensitive), `""` when empty, nil for other schemes.
    private static func bearerToken(_ authorization: String) -> String? {
        let utf8 = authorization.utf8
        let schemeEnd = utf8.firstIndex { $0 == 0x20 || $0 == 0x09 } ?? utf8.endIndex
        guard authorization[..<schemeEnd].lowercased() == "bearer" else { return nil }
        return nonEmptyTrimmed(String(authorization[schemeEnd...])) ?? ""
    }

    /// The value without HTTP optional whitespace (spaces, tabs), or nil if nothing is left.
    private static func nonEmptyTrimmed(_ value: String) -> String? {
        let utf8 = value.utf8
        let isContent = { (byte: UInt8) in byte != 0x20 && byte != 0x09 }
        guard let first = utf8.firstIndex(where: isContent), let last = utf8.lastIndex(where: isContent) else {
            return nil
        }
        return first == utf8.startIndex && last == utf8.index(before: utf8.endIndex) ? value : String(value[first...last])
    }
}
