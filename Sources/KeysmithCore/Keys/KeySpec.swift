import Foundation

/// A key's validated, typed settings; only `KeyDraft.validate(now:)` makes one, so every field holds its rules.
public struct KeySpec: Hashable, Sendable {
    public let name: String
    public let description: String
    public let environment: KeyEnvironment
    public let ownerType: OwnerType
    public let scopes: ScopeSet
    public let tokenType: TokenType
    /// Set only for custom keys at creation; hash it, never store or log it.
    public let customSecret: String?
    public let expiresAt: Date?
    public let ipAllowlist: IPAllowlist
    public let rateLimit: RateLimit?
    public let quota: UsageQuota?
    public let responseHeaders: [ResponseHeaderTemplate]
    public let meta: KeyMetadata
}

extension KeySpec: CustomReflectable {
    /// Printing or dumping a spec never shows the custom secret.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "name": name, "description": description, "environment": environment, "ownerType": ownerType,
                "scopes": scopes, "tokenType": tokenType, "customSecret": customSecret.map { _ in "<redacted>" } as Any,
                "expiresAt": expiresAt as Any, "ipAllowlist": ipAllowlist, "rateLimit": rateLimit as Any,
                "quota": quota as Any, "responseHeaders": responseHeaders, "meta": meta,
            ],
            displayStyle: .struct
        )
    }
}
