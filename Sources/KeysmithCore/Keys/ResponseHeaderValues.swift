/// What one verification knows, to fill a `ResponseHeaderTemplate`; a nil remaining (no limit) has no value.
public struct ResponseHeaderValues: Hashable, Sendable {
    public var keyID: KeyID
    public var keyName: String
    public var environment: KeyEnvironment
    public var workspaceID: WorkspaceID
    public var projectID: ProjectID
    public var scopes: ScopeSet
    public var rateLimitRemaining: Int?
    public var quotaRemaining: Int?
    public var requestIP: String

    public init(
        keyID: KeyID, keyName: String, environment: KeyEnvironment, workspaceID: WorkspaceID, projectID: ProjectID,
        scopes: ScopeSet, rateLimitRemaining: Int? = nil, quotaRemaining: Int? = nil, requestIP: String = ""
    ) {
        self.keyID = keyID
        self.keyName = keyName
        self.environment = environment
        self.workspaceID = workspaceID
        self.projectID = projectID
        self.scopes = scopes
        self.rateLimitRemaining = rateLimitRemaining
        self.quotaRemaining = quotaRemaining
        self.requestIP = requestIP
    }

    /// The placeholder's value, nil when it has none for this request.
    public subscript(placeholder: ResponseHeaderPlaceholder) -> String? {
        switch placeholder {
        case .keyID: keyID.value
        case .keyName: keyName
        case .keyEnvironment: environment.rawValue
        case .workspaceID, .accountID: workspaceID.value
        case .projectID: projectID.value
        case .keyScopes: scopes.description
        case .rateLimitRemaining: rateLimitRemaining.map(String.init)
        case .quotaRemaining: quotaRemaining.map(String.init)
        case .requestIP: requestIP.isEmpty ? nil : requestIP
        }
    }
}
