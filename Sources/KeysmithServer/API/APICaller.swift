import HTTPTypes
import KeysmithCore

/// Who is calling the management API: a signed-in console user, or a key of the account with its scopes.
struct APICaller: Sendable {
    let accountId: Int64
    /// nil for a console session, which may do everything in its account.
    let keyScopes: ScopeSet?
    /// Rate-limit headers to send back when a key made the call.
    let outcome: KeyVerifier.Outcome?

    /// A key may only hand out scopes it holds itself.
    func checkCanGrant(_ scopes: ScopeSet) throws {
        guard let held = keyScopes else { return }
        let missing = held.missing(scopes)
        guard missing.isEmpty else {
            let names = missing.map(\.value).joined(separator: ", ")
            throw HTTPProblem(.forbidden, "INSUFFICIENT_SCOPE", "A key cannot grant scopes it does not hold: \(names)")
        }
    }
}
