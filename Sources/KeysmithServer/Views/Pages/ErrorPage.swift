/// 404, 403, 413, 500…: what went wrong in plain words and a way back home.
struct ErrorPage: PageModel {
    static let template = "errors/error"
    let layout: Layout
    let status: Int
    let heading: String
    let message: String
}
