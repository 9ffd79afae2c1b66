/// The one page that ever shows a secret: after activation or rotation, once.
struct RevealPage: PageModel {
    static let template = "keys/reveal"

    let layout: Layout
    let keyName: String
    let keyURL: String
    let keyID: String
    let secret: String
    let token: String
    let curlExample: String
    let wasRotated: Bool
    let graceNote: String?
}
