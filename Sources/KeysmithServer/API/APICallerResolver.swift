import Hummingbird
import KeysmithCore
import KeysmithStore

/// Answers "who may manage keys here?": a presented key (scope `keys:read` for reads, `keys:write` for writes),
/// else the console session (whose CSRF header `CSRFMiddleware` has checked), else 401.
struct APICallerResolver: Sendable {
    let verifier: KeyVerifier

    static let readScope = Scope.parse("keys:read")
    static let writeScope = Scope.parse("keys:write")

    func caller(_ request: Request, context: APIContext, writes: Bool) async throws -> APICaller {
        if PresentedCredential.isPresented(in: request) {
            guard case .token(let token) = try? PresentedCredential(request) else { throw HTTPProblem.invalidAPIKey() }
            let scope = try (writes ? Self.writeScope : Self.readScope).get()
            let outcome = try await verifier.verify(token, requiredScope: scope, clientIP: context.clientIP)
            guard outcome.isValid, let key = outcome.key else { throw HTTPProblem(outcome) }
            return APICaller(accountId: key.accountID, keyScopes: key.scopes, outcome: outcome)
        }
        guard let account = context.identity else {
            throw HTTPProblem(
                .unauthorized, "UNAUTHORIZED", "Sign in, or present an API key with the keys:read or keys:write scope")
        }
        return APICaller(accountId: account.accountId, keyScopes: nil, outcome: nil)
    }
}
