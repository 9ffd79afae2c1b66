import KeysmithCore

/// The one page that ever shows a secret: after activation or rotation, once. The token is the page's subject; the
/// key id and secret apart are folded away, and the curl example reads the token from the environment, so the secret
/// is printed in two places (token, secret) instead of four.
struct RevealPage: PageModel {
    static let template = "keys/reveal"

    let layout: Layout
    let keyName: String
    let listURL = SiteURL.keys.path
    let keyURL: String
    let keyID: String
    let secret: String
    let token: String
    /// Rows of the token's text area where CSS cannot size it to its content: about 30 characters a row on a phone.
    let tokenRows: Int
    let curlExample: String
    let wasRotated: Bool
    let graceNote: String?

    /// The environment variable the curl example reads, named on the page.
    static let tokenVariable = "KEYSMITH_TOKEN"

    /// - Parameter baseURL: scheme and host the example calls, e.g. `http://127.0.0.1:8080`.
    init(layout: Layout, keyName: String, revealed: RevealedSecret, baseURL: String) {
        self.layout = layout
        self.keyName = keyName
        keyURL = SiteURL.key(revealed.keyID).path
        keyID = revealed.keyID
        secret = revealed.secret
        token = revealed.token
        tokenRows = max(2, (revealed.token.count + 29) / 30)
        curlExample = "curl -H \"Authorization: Bearer $\(Self.tokenVariable)\" \(baseURL)/api/v1/whoami"
        wasRotated = revealed.rotated
        graceNote = revealed.graceNote
    }
}
