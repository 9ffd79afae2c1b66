/// What a reload of the reveal page shows: the secret is gone, and what to do about it.
struct RevealGonePage: PageModel {
    static let template = "keys/reveal-gone"

    let layout: Layout
    let keyURL: String
}
