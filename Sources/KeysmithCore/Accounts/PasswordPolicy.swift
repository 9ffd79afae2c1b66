/// The rules a new password must meet: long enough to resist guessing, not a well-known one, not the email.
public enum PasswordPolicy {
    public static let minimumLength = 12
    /// Argon2 accepts any length; the cap only keeps request bodies and hashing time sane.
    public static let maximumLength = 256

    public static func check(_ password: String, email: EmailAddress? = nil) -> FieldMessage? {
        if password.count < minimumLength { return "Use at least \(minimumLength) characters." }
        if password.count > maximumLength { return "Use at most \(maximumLength) characters." }
        let lowered = password.lowercased()
        if CommonPasswords.contains(lowered) { return "This password is too common. Choose another one." }
        if let email, lowered == email.value || lowered == email.value.split(separator: "@").first.map(String.init) {
            return "Your password must not be your email address."
        }
        if Set(password).count < 4 { return "Use more different characters." }
        return nil
    }
}
