/// The login form; `next` carries a same-site path to return to after signing in.
struct LoginPage: PageModel {
    static let template = "auth/login"
    let layout: Layout
    let email: String
    let next: String?
    let errors: [String: String]
    let formError: String?
}
