/// The parsers `make fuzz` drives; the raw value is the name `keysmith-fuzz` takes and the corpus folder's.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Key and admin-key tokens, whole, in two headers or as a Bearer credential.
    case token
    /// IP addresses, CIDR ranges with prefix lengths or netmasks, and allowlists.
    case cidr
    /// Scopes and scope sets.
    case scopes
    /// Response header templates with `${…}` placeholders.
    case headers
    /// Expiries: TTLs and RFC 3339 times, as text and as the API's `ttl`.
    case expiry
    /// The console's key form, as a browser posts it.
    case form
    /// The JSON request bodies of the management API.
    case json
    /// The verification body's fast path against `JSONDecoder`.
    case verifyBody = "verify-body"

    /// Runs one input through the target's harness.
    public func run(_ input: [UInt8]) throws(PropertyViolation) {
        switch self {
        case .token: try TokenHarness.run(input)
        case .cidr: try CIDRHarness.run(input)
        case .scopes: try ScopeHarness.run(input)
        case .headers: try HeaderTemplateHarness.run(input)
        case .expiry: try ExpiryHarness.run(input)
        case .form: try KeyFormHarness.run(input)
        case .json: try JSONBodyHarness.run(input)
        case .verifyBody: try VerifyBodyHarness.run(input)
        }
    }
}
