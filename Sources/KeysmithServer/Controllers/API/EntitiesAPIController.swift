import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore

/// Seed 004's entity-scoped keys in its own shape, as thin routes over the same key service: the entity is the
/// project chosen by `x-entity-id` (auto-selected when the caller reaches one), `ttl` is whole seconds, the list is
/// masked, and fields are snake_case.
struct EntitiesAPIController {
    let services: AppServices
    let callers: APICallerResolver

    func addRoutes(to routes: some RouterMethods<APIContext>) {
        routes.get("/entities/api-keys", use: list)
        routes.post("/entities/api-keys", use: create)
        routes.delete("/entities/api-keys/:id", use: delete)
        routes.refuseOtherMethods(on: "/entities/api-keys", allowing: [.get, .post])
        routes.refuseOtherMethods(on: "/entities/api-keys/:id", allowing: [.delete])
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.readKeys)
        let project = try await callers.project(for: caller, request)
        let keys = try await services.database.keys(
            projectID: project.id, matching: KeyListQuery(), after: nil, limit: 100, now: services.clock.now())
        return .json(DataList(data: keys.items.map { EntityKeyResource(key: $0) }))
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeKeys)
        let project = try await callers.project(for: caller, request)
        let body = try await JSONBody.decode(EntityKeyRequest.self, from: request, context: context)
        var draft = KeyDraft(name: body.name ?? "", environment: body.environment ?? KeyEnvironment.live.rawValue)
        draft.ttl = body.ttl?.text ?? ""
        let spec = try draft.validate(now: services.clock.now())
        let (key, token) = try await services.keys.create(
            spec, in: project, creatorID: caller.userID, activate: true, origin: caller.origin)
        var response = Response.json(EntityKeyResource(key: key, token: token?.value), status: .created)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeKeys)
        let id = try context.parameters.require("id")
        guard let key = try await services.database.key(id: id, workspaceID: caller.workspaceID) else { throw KeyError.notFound }
        try callers.check(key, for: caller, request)
        try await services.keys.delete(key, origin: caller.origin)
        return .json(MessageBody(message: "API key deleted"))
    }
}
