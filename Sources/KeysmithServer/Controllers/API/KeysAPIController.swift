import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore
import Logging

/// `/api/v1/keys…` and `/api/v1/audit`: key management for scripts and services (DESIGN §6, §11). Key routes work
/// in the caller's chosen project; `/audit` is the workspace's.
struct KeysAPIController {
    let services: AppServices
    let callers: APICallerResolver

    private var database: any Store { services.database }
    private var clock: AppClock { services.clock }

    func addRoutes(to routes: some RouterMethods<APIContext>) {
        routes.get("/keys", use: list)
        routes.post("/keys", use: create)
        routes.get("/keys/:id", use: show)
        routes.patch("/keys/:id", use: update)
        routes.delete("/keys/:id", use: delete)
        routes.post("/keys/:id/activate", use: activate)
        routes.post("/keys/:id/rotate", use: rotate)
        routes.post("/keys/:id/disable", use: disable)
        routes.post("/keys/:id/enable", use: enable)
        routes.get("/keys/:id/usage", use: usage)
        routes.get("/audit", use: audit)
        for (path, methods) in Self.methodsByPath { routes.refuseOtherMethods(on: RouterPath(path), allowing: methods) }
    }

    /// Every path this controller serves and its methods, for the 405 answers.
    static let methodsByPath: [(String, [HTTPRequest.Method])] = [
        ("/keys", [.get, .post]), ("/keys/:id", [.get, .patch, .delete]), ("/keys/:id/activate", [.post]),
        ("/keys/:id/rotate", [.post]), ("/keys/:id/disable", [.post]), ("/keys/:id/enable", [.post]),
        ("/keys/:id/usage", [.get]), ("/audit", [.get]),
    ]

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.readKeys)
        let project = try await callers.project(for: caller, request)
        await services.writePendingUsage()
        let parameters = FormFields.query(of: request)
        let limit = try Self.limit(parameters.get("limit"))
        var cursor: KeyCursor?
        if let text = parameters.get("cursor") {
            // A cursor the API gave out ends in a key id; "0.5" parses as one but was never given out.
            guard let parsed = KeyCursor(text: text), (try? KeyID(parsed.id)) != nil else {
                throw Self.invalid("cursor", "This cursor is not one the API gave out.")
            }
            cursor = parsed
        }
        let query = KeyListQuery(
            search: parameters.get("q"),
            environment: try Self.parse(parameters.get("environment"), "environment", as: KeyEnvironment.self),
            status: try Self.parse(parameters.get("status"), "status", as: KeyStatus.self)
        )
        let now = clock.now()
        let page = try await database.keys(projectID: project.id, matching: query, after: cursor, limit: limit, now: now)
        let body = ListResponse(data: page.items.map { resource($0, now: now) }, nextCursor: page.next?.text)
        return respond(body, caller: caller, context: context)
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeKeys)
        let project = try await callers.project(for: caller, request)
        let body = try await JSONBody.decode(CreateKeyRequest.self, from: request, context: context)
        let spec = try body.draft.validate(now: clock.now())
        let (key, token) = try await services.keys.create(
            spec, in: project, creatorID: caller.userID, startingAs: try body.initialStatus(), origin: caller.origin)
        context.logger.info("key created", metadata: ["key.id": "\(key.id)"])
        var response = respond(
            resource(key, now: clock.now(), token: token?.value), caller: caller, context: context, status: .created
        )
        response.headers[.location] = "/api/v1/keys/\(key.id)"
        return response
    }

    @Sendable func show(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.readKeys)
        await services.writePendingUsage()
        let key = try await ownedKey(request, context, caller)
        return respond(resource(key, now: clock.now()), caller: caller, context: context)
    }

    @Sendable func update(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeKeys)
        let key = try await ownedKey(request, context, caller)
        let body = try await JSONBody.decode(UpdateKeyRequest.self, from: request, context: context)
        if let (field, message) = body.fixedFieldChange(of: key) { throw Self.invalid(field, message) }
        let spec = try body.draft(merging: key).validate(now: clock.now(), requireCustomSecret: false)
        let updated = try await services.keys.update(key, with: spec, keepingExpiry: body.keepsExpiry, origin: caller.origin)
        return respond(resource(updated, now: clock.now()), caller: caller, context: context)
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeKeys)
        let key = try await ownedKey(request, context, caller)
        try await services.keys.delete(key, origin: caller.origin)
        return try respond(MessageResponse(message: "API key deleted"), caller: caller, context: context)
    }

    @Sendable func activate(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeKeys)
        let key = try await ownedKey(request, context, caller)
        _ = try await JSONBody.decodeIfPresent(JSONValue.self, from: request, context: context)
        let (active, token) = try await services.keys.activate(key, origin: caller.origin)
        return respond(resource(active, now: clock.now(), token: token?.value), caller: caller, context: context)
    }

    @Sendable func rotate(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeKeys)
        let key = try await ownedKey(request, context, caller)
        let body = try await JSONBody.decodeIfPresent(RotateRequest.self, from: request, context: context)
        guard let grace = RotationGrace(rawValue: body?.grace ?? RotationGrace.immediately.rawValue) else {
            throw Self.invalid("grace", "Use one of 0s, 1h, 24h, 7d.")
        }
        // The OpenAPI document: a generated key gets a new generated secret and must not send one.
        if key.tokenType == .generated, body?.secret != nil {
            throw Self.invalid("secret", "A generated key gets a new generated secret; leave secret out.")
        }
        let (rotated, token) = try await services.keys.rotate(
            key, grace: grace, customSecret: body?.secret, origin: caller.origin)
        return respond(resource(rotated, now: clock.now(), token: token.value), caller: caller, context: context)
    }

    @Sendable func disable(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeKeys)
        let key = try await ownedKey(request, context, caller)
        let updated = try await services.keys.disable(key, origin: caller.origin)
        return respond(resource(updated, now: clock.now()), caller: caller, context: context)
    }

    @Sendable func enable(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeKeys)
        let key = try await ownedKey(request, context, caller)
        let updated = try await services.keys.enable(key, origin: caller.origin)
        return respond(resource(updated, now: clock.now()), caller: caller, context: context)
    }

    @Sendable func usage(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.readKeys)
        await services.writePendingUsage()
        let key = try await ownedKey(request, context, caller)
        let days = try Self.bounded(request.uri.queryParameters.get("days"), "days", default: 30, range: 1...90)
        let usage = try await database.keyUsage(id: key.id.value, days: days, now: clock.now())
        return try respond(
            UsageResponse(data: usage.map { .init(day: $0.day, count: $0.count) }), caller: caller, context: context)
    }

    @Sendable func audit(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.readAudit)
        let parameters = request.uri.queryParameters
        let limit = try Self.limit(parameters.get("limit"))
        var before: Int64?
        if let text = parameters.get("cursor") {
            guard let id = Int64(text), id > 0 else { throw Self.invalid("cursor", "This cursor is not one the API gave out.") }
            before = id
        }
        let page = try await database.auditEntries(workspaceID: caller.workspaceID, before: before, limit: limit)
        let body = ListResponse(data: page.items.map(AuditEntryResource.init), nextCursor: page.next.map(String.init))
        return try respond(body, caller: caller, context: context)
    }

    // MARK: Helpers

    /// The key in the path if it is in the caller's workspace and a project they reach: another workspace's id is
    /// the same 404 as none.
    private func ownedKey(_ request: Request, _ context: APIContext, _ caller: APICaller) async throws -> APIKey {
        let id = try context.parameters.require("id")
        guard let key = try await database.key(id: id, workspaceID: caller.workspaceID) else { throw KeyError.notFound }
        try callers.check(key, for: caller, request)
        return key
    }

    /// The JSON of a key as the store holds it, its quota counting this node's unspent lease.
    private func resource(_ key: APIKey, now: Date, token: String? = nil) -> APIKeyResource {
        APIKeyResource(key, now: now, quotaRemaining: services.ledger.remaining(ofStored: key), token: token)
    }

    private func respond(_ body: some Encodable, caller: APICaller, context: APIContext, status: HTTPResponse.Status = .ok) throws
        -> Response
    {
        try .json(body, encoder: context.responseEncoder, status: status)
    }

    private func respond(_ body: some JSONWritable, caller: APICaller, context: APIContext, status: HTTPResponse.Status = .ok)
        -> Response
    {
        .json(body, status: status)
    }

    static func limit(_ text: String?) throws -> Int {
        try bounded(text, "limit", default: 25, range: 1...100)
    }

    static func bounded(_ text: String?, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text), range.contains(number) else {
            throw invalid(name, "Use a whole number from \(range.lowerBound) to \(range.upperBound).")
        }
        return number
    }

    static func parse<Value: RawRepresentable>(_ text: String?, _ name: String, as type: Value.Type) throws -> Value?
    where Value.RawValue == String {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Value(rawValue: text) else { throw invalid(name, "“\(text)” is not a valid \(name).") }
        return value
    }

    static func invalid(_ field: String, _ message: String) -> HTTPProblem {
        HTTPProblem(.unprocessableContent, "VALIDATION", "Invalid fields", fields: [field: message])
    }
}
