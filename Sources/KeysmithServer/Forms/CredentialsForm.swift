/// The sign-up and login form: DESIGN §5 fixes the field names `email` and `password`.
struct CredentialsForm: Decodable, Sendable {
    var email: String?
    var password: String?
    var next: String?
    /// Sign-up only: the token of the invitation being accepted.
    var invite: String?
}
