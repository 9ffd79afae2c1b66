/// The names of Keysmith's cookies (DESIGN §10 fixes the session cookie's).
enum CookieNames {
    static let session = "keysmith_session"
    /// Double-submit token for forms shown before sign-in (login, sign-up).
    static let csrf = "keysmith_csrf"
    static let flash = "keysmith_flash"
}
