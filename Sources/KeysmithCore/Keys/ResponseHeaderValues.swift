/// What one verification knows, to fill a `ResponseHeaderTemplate`; nil remaining (no limit) renders empty.
public struct ResponseHeaderValues: Hashable, Sendable {
    public var keyID: KeyID
    public var keyName: String
    public var environment: KeyEnvironment
    public var accountID: String
    public var scopes: ScopeSet
    public var rateLimitRemaining: Int?
    public var quotaRemaining: Int?
    public var requestIP: String

    public init(
        keyID: KeyID,
        keyName: String,
        environment: KeyEnvironment,
        accountID: String,
        scopes: ScopeSet,
        rateLimitRemaining: Int? = nil,
        quotaRemaining: Int? = nil,
        requestIP: String = ""
    ) {
        self.keyID = keyID
        self.keyName = keyName
        self.environment = environment
        self.accountID = accountID
        self.scopes = scopes
        self.rateLimitRemaining = rateLimitRemaining
        self.quotaRemaining = quotaRemaining
        self.requestIP = requestIP
    }

    public subscript(placeholder: ResponseHeaderPlaceholder) -> String {
        switch placeholder {
        case .keyID: keyID.value
        case .keyName: keyName
        case .keyEnvironment: environment.rawValue
        case .accountID: accountID
        case .keyScopes: scopes.description
        case .rateLimitRemaining: rateLimitRemaining.map(String.init) ?? ""
        case .quotaRemaining: quotaRemaining.map(String.init) ?? ""
        case .requestIP: requestIP
        }
    }
}
