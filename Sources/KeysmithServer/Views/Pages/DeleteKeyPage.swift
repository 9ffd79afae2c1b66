/// The confirmation before a key is deleted, naming it.
struct DeleteKeyPage: PageModel {
    static let template = "keys/delete"

    let layout: Layout
    let key: KeySummary
}
