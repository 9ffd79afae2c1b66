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

    /// The same, as the API answers it: two different keys are `AMBIGUOUS_CREDENTIALS`, anything malformed an
    /// invalid key.
    static func checked(_ request: Request) throws(HTTPProblem) -> PresentedCredential {
        do {
            return try PresentedCredential(request)
        } catch .ambiguous {
            throw .ambiguousCredentials()
        } catch {
            throw .invalidAPIKey()
        }
    }

    /// True when the request carries key headers at all (even malformed ones): then the key decides, not a cookie.
    static func isPresented(in request: Request) -> Bool {
        request.headers[.xAPIKey] != nil || request.headers[.authorization] != nil
    }
}
