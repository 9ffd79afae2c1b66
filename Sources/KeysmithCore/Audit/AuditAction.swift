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
        }
    }
}
