/// The sign-up form; on error it comes back with the email kept and the password empty. With an invitation it names
/// the workspace being joined; when sign-up is by invitation only and none came along, it says so instead.
struct SignupPage: PageModel {
    static let template = "auth/signup"
    let layout: Layout
    let email: String
    let errors: [String: String]
    var formError: String?
    var invite = ""
    var joining: String?
    var isClosed = false
}
