/// What can go wrong with an account, in words a form can show next to its fields.
public enum AccountError: Error, Equatable, Sendable {
    /// Field name → human message; the form re-renders with these next to the inputs.
    case invalid([String: String])
    case emailTaken
    case invalidCredentials
    case notFound
}
