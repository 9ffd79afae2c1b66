import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import NIOCore

/// What services call: `POST /keys/verify` (the token in the body), `GET /whoami` and `GET /auth` (the key in the
/// headers; `/auth` is the forward-auth endpoint for nginx `auth_request`, Traefik and Caddy). The two gates name
/// their project and accept only its keys (DESIGN §11); admin keys are unknown here.
struct VerificationAPIController {
    let verifier: KeyVerifier
    let clock: AppClock

    func addRoutes(to routes: some RouterMethods<APIContext>) {
        routes.post("/keys/verify", use: verify)
        routes.get("/whoami", use: whoami)
        routes.get("/auth", use: forwardAuth)
        routes.refuseOtherMethods(on: "/keys/verify", allowing: [.post])
        routes.refuseOtherMethods(on: "/whoami", allowing: [.get])
        routes.refuseOtherMethods(on: "/auth", allowing: [.get])
    }

    /// Always 200 for a well-formed request: the answer is in `valid` and `code`.
    @Sendable func verify(_ request: Request, context: APIContext) async throws -> Response {
        let body = try await JSONBody.decode(VerifyRequest.self, from: request, context: context)
        guard let projectText = body.project else {
            throw Self.projectRequired(.unprocessableContent, "Name the project whose keys this gate accepts (prj_…).")
        }
        guard let project = ProjectID(projectText) else {
            throw KeysAPIController.invalid("project", "“\(projectText)” is not a project id (prj_ and 16 letters or digits).")
        }
        if let (field, message) = body.shapeError { throw KeysAPIController.invalid(field, message) }
        var scope: Scope?
        if let text = body.scope {
            guard case .success(let parsed) = Scope.parse(text) else {
                throw KeysAPIController.invalid("scope", "Use resource:action, such as orders:write.")
            }
            scope = parsed
        }
        if let ip = body.ip, IPAddress(ip) == nil {
            throw KeysAPIController.invalid("ip", "“\(ip)” is not an IPv4 or IPv6 address.")
        }
        let answer: VerifyResponse
        switch try? PresentedCredential(
            apiKey: body.token ?? body.key, apiSecret: body.token == nil ? body.secret : nil, authorization: nil)
        {
        case .token(let token):
            answer = VerifyResponse(
                try await verifier.verify(
                    token, project: project, requiredScope: scope, clientIP: body.ip, caller: context.clientIP))
        case .adminToken:
            answer = VerifyResponse(verifier.refuseAdminKey())
        case .missing, nil:
            answer = VerifyResponse(code: .malformed)
        }
        return json(answer, context: context)
    }

    @Sendable func whoami(_ request: Request, context: APIContext) async throws -> Response {
        let outcome = try await guarded(request, context: context, scope: nil)
        guard let key = outcome.key else { throw HTTPProblem.invalidAPIKey() }
        let resource = APIKeyResource(key, now: clock.now(), quotaRemaining: outcome.quotaRemaining)  // after this use
        var response = json(resource, context: context)
        response.headers.append(contentsOf: Self.headers(of: outcome))
        return response
    }

    /// 200 with the key's headers and its identity (`X-Keysmith-Key-Id`, `-Project-Id`, `-Workspace-Id`) for the
    /// upstream, or the same 401/403/429 as whoami. `?project=` is required (400 without: nginx turns a 422 into a
    /// 500); `?scope=` requires a scope.
    @Sendable func forwardAuth(_ request: Request, context: APIContext) async throws -> Response {
        let parameters = request.uri.queryParameters
        guard let projectText = parameters.get("project") else {
            throw Self.projectRequired(.badRequest, "Name the project whose keys this gate accepts: /auth?project=prj_…")
        }
        guard let project = ProjectID(projectText) else {
            throw HTTPProblem(
                .badRequest, "VALIDATION", "Invalid fields",
                fields: ["project": "“\(projectText)” is not a project id (prj_ and 16 letters or digits)."])
        }
        var scope: Scope?
        if let text = parameters.get("scope") {
            guard case .success(let parsed) = Scope.parse(text) else {
                // 400, not 422: nginx's auth_request turns anything but 2xx/401/403 into a 500.
                throw HTTPProblem(
                    .badRequest, "VALIDATION", "Invalid fields", fields: ["scope": "Use resource:action, such as orders:write."])
            }
            scope = parsed
        }
        let outcome = try await presented(request, context: context, project: project, scope: scope, gate: .forwardAuth)
        // Whenever the key is known (valid, or refused for its address, scope or limits), the upstream's logs can
        // tell which key it was.
        var identity = HTTPFields()
        if let key = outcome.key {
            identity[.keysmithKeyID] = key.id.value
            identity[.keysmithProjectID] = key.projectID.value
            identity[.keysmithWorkspaceID] = key.workspaceID.value
        }
        guard outcome.isValid else {
            var problem = HTTPProblem(outcome)
            if problem.status != .unauthorized { problem.headers.append(contentsOf: identity) }
            throw problem
        }
        var headers = Self.headers(of: outcome)
        headers.append(contentsOf: identity)
        headers[.cacheControl] = "no-store"
        return Response(status: .ok, headers: headers)
    }

    private static func projectRequired(_ status: HTTPResponse.Status, _ message: String) -> HTTPProblem {
        HTTPProblem(status, "PROJECT_REQUIRED", "A gate names its project", fields: ["project": message])
    }

    /// Verifies the key in the headers, or throws the 401/403/429 answer.
    private func guarded(_ request: Request, context: APIContext, scope: Scope?) async throws -> KeyVerifier.Outcome {
        let outcome = try await presented(request, context: context, project: nil, scope: scope, gate: .whoami)
        guard outcome.isValid else { throw HTTPProblem(outcome) }
        return outcome
    }

    /// The verdict on the key in the headers; a missing or malformed credential (or an admin key) throws the 401.
    private func presented(_ request: Request, context: APIContext, project: ProjectID?, scope: Scope?, gate: UsageGate)
        async throws -> KeyVerifier.Outcome
    {
        let token: APIKeyToken
        switch try PresentedCredential.checked(request) {
        case .token(let presented): token = presented
        case .adminToken:
            _ = verifier.refuseAdminKey()
            throw HTTPProblem.invalidAPIKey()
        case .missing: throw HTTPProblem.missingAPIKey()
        }
        return try await verifier.verify(
            token, project: project, requiredScope: scope, clientIP: context.clientIP, gate: gate)
    }

    /// Rate-limit headers plus the key's own response headers.
    private static func headers(of outcome: KeyVerifier.Outcome) -> HTTPFields {
        var headers = HTTPFields.rateLimit(outcome)
        for header in outcome.headers {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        return headers
    }

    private func json(_ body: some JSONWritable, context: APIContext) -> Response {
        .json(body)
    }
}
