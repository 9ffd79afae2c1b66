import Hummingbird
import KeysmithCore

extension PresentedCredential {
    /// The key a request presents in any of DESIGN §4's three header forms.
    init(_ request: Request) throws(TokenError) {
        try self.init(
            apiKey: request.headers[.xAPIKey], apiSecret: request.headers[.xAPISecret],
            authorization: request.headers[.authorization]
        )
    }

    /// True when the request carries key headers at all (even malformed ones): then the key decides, not a cookie.
    static func isPresented(in request: Request) -> Bool {
        request.headers[.xAPIKey] != nil || request.headers[.authorization] != nil
    }
}
