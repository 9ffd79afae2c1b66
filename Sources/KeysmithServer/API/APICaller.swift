import HTTPTypes
import KeysmithCore
import KeysmithStore

/// Who is calling the management API: a signed-in console user, or a key of the account with its scopes.
struct APICaller: Sendable {
    let accountId: Int64
    /// nil for a console session, which may do everything in its account.
    let keyScopes: ScopeSet?
    /// Rate-limit headers to send back when a key made the call.
    let outcome: KeyVerifier.Outcome?

    /// A key may only hand out scopes it holds itself.
    func checkCanGrant(_ scopes: ScopeSet) throws {
        try check(scopes, "A key cannot grant scopes it does not hold")
    }

    /// A key may only change, re-secret or remove keys whose scopes it holds itself; otherwise rotating a broader
    /// key would hand its new token, and with it those scopes, to the caller.
    func checkCanManage(_ key: APIKey) throws {
        try check(key.scopes, "A key cannot manage a key with scopes it does not hold")
    }

    private func check(_ scopes: ScopeSet, _ message: String) throws {
        guard let held = keyScopes else { return }
        let missing = held.missing(scopes)
        guard missing.isEmpty else {
            let names = missing.map(\.value).joined(separator: ", ")
            throw HTTPProblem(.forbidden, "INSUFFICIENT_SCOPE", "\(message): \(names)")
        }
    }
}
