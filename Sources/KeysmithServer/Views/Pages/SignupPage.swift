/// The sign-up form; on error it comes back with the email kept and the password empty.
struct SignupPage: PageModel {
    static let template = "auth/signup"
    let layout: Layout
    let email: String
    let errors: [String: String]
    let formError: String?
}
