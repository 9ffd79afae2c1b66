/// Everything that lands in the audit log; the raw value is what the database stores, so cases are never renamed.
public enum AuditAction: String, Codable, Sendable, CaseIterable {
    case accountCreated = "account.created"
    case loginSucceeded = "login.succeeded"
    case loginFailed = "login.failed"
    case logout = "logout"
    case passwordChanged = "account.password_changed"
    case keyPrefixChanged = "account.prefix_changed"
    case sessionsRevoked = "account.sessions_revoked"
    case accountDeleted = "account.deleted"
    case keyCreated = "key.created"
    case keyActivated = "key.activated"
    case keyRotated = "key.rotated"
    case keyUpdated = "key.updated"
    case keyDisabled = "key.disabled"
    case keyEnabled = "key.enabled"
    case keyDeleted = "key.deleted"

    /// How the console shows the action.
    public var summary: String {
        switch self {
        case .accountCreated: "Account created"
        case .loginSucceeded: "Signed in"
        case .loginFailed: "Failed sign-in attempt"
        case .logout: "Signed out"
        case .passwordChanged: "Password changed"
        case .keyPrefixChanged: "Key prefix changed"
        case .sessionsRevoked: "Other sessions signed out"
        case .accountDeleted: "Account deleted"
        case .keyCreated: "API key created"
        case .keyActivated: "API key activated"
        case .keyRotated: "API key rotated"
        case .keyUpdated: "API key edited"
        case .keyDisabled: "API key disabled"
        case .keyEnabled: "API key enabled"
        case .keyDeleted: "API key deleted"
        }
    }
}
