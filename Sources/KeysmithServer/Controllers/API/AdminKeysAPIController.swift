import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore

/// `/admin-keys…` (DESIGN §11): the management API's credentials. Owners and admins manage all of them; an admin
/// key sees and manages only keys within its own grant, and creates or edits only such keys (DESIGN §8) — itself
/// included, so it cannot relax its own restrictions.
struct AdminKeysAPIController {
    let services: AppServices
    let callers: APICallerResolver
    let issuer: AdminKeyIssuer

    private var database: any Store { services.database }

    func addRoutes(to routes: some RouterMethods<APIContext>) {
        routes.get("/admin-keys", use: list)
        routes.post("/admin-keys", use: create)
        routes.get("/admin-keys/:id", use: show)
        routes.patch("/admin-keys/:id", use: update)
        routes.delete("/admin-keys/:id", use: delete)
        routes.refuseOtherMethods(on: "/admin-keys", allowing: [.get, .post])
        routes.refuseOtherMethods(on: "/admin-keys/:id", allowing: [.get, .patch, .delete])
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.manageAdminKeys)
        let keys = try await database.adminKeys(in: caller.workspaceID).filter { Self.isWithin(caller, $0) }
        return .json(DataList(data: keys.map { AdminKeyResource(key: $0) }))
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.manageAdminKeys)
        let body = try await JSONBody.decode(AdminKeyRequest.self, from: request, context: context)
        let draft = AdminKeyDraft(
            name: body.name ?? "", permissions: body.permissions ?? [], projects: Self.value(body.projects) ?? nil,
            expiry: try Self.expiry(body) ?? "never", ipAllowlist: body.ipAllowlist ?? [])
        let (key, token) = try await issuing {
            try await issuer.create(draft, in: caller.workspaceID, grantor: caller.adminKey?.grant, origin: caller.origin)
        }
        var response = Response.json(AdminKeyResource(key: key, token: token.value), status: .created)
        response.headers[.location] = "/api/v1/admin-keys/\(key.id)"
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func show(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.manageAdminKeys)
        return .json(AdminKeyResource(key: try await managed(context, caller)))
    }

    @Sendable func update(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.manageAdminKeys)
        let key = try await managed(context, caller)
        let body = try await JSONBody.decode(AdminKeyRequest.self, from: request, context: context)
        let keptExpiry = key.grant.expiresAt.map(RFC3339.string(from:)) ?? "never"
        let draft = AdminKeyDraft(
            name: body.name ?? key.name, permissions: body.permissions ?? key.grant.permissions.map(\.rawValue),
            projects: Self.value(body.projects) ?? key.grant.projects.map { $0.map(\.value) },
            expiry: try Self.expiry(body) ?? keptExpiry, ipAllowlist: body.ipAllowlist ?? key.grant.ipAllowlist.entries)
        let updated = try await issuing {
            try await issuer.update(key.id, in: caller.workspaceID, draft, grantor: caller.adminKey?.grant, origin: caller.origin)
        }
        return .json(AdminKeyResource(key: updated))
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.manageAdminKeys)
        let key = try await managed(context, caller)
        try await database.deleteAdminKey(id: key.id, in: caller.workspaceID, origin: caller.origin, now: services.clock.now())
        return .json(MessageBody(message: "Admin key deleted"))
    }

    // MARK: Helpers

    /// The key in the path, if the caller may manage it; others are not found.
    private func managed(_ context: APIContext, _ caller: APICaller) async throws -> AdminKey {
        guard let id = AdminKeyID(try context.parameters.require("id")),
            let key = try await database.adminKey(id: id, in: caller.workspaceID), Self.isWithin(caller, key)
        else { throw WorkspaceError.notFound }
        return key
    }

    private static func isWithin(_ caller: APICaller, _ key: AdminKey) -> Bool {
        caller.adminKey.map { $0.grant.excess(of: key.grant).isEmpty } ?? true
    }

    /// `projects` as sent: absent → nil (keep / all), null → .some(nil) (all projects), a list → that list.
    private static func value(_ patch: Patch<[String]>) -> [String]?? {
        switch patch {
        case .absent: nil
        case .null: .some(nil)
        case .value(let list): .some(list)
        }
    }

    /// `expiresAt` or `ttl` (not both) as expiry text; `null` means never; nil when neither was sent.
    private static func expiry(_ body: AdminKeyRequest) throws -> String? {
        switch (body.expiresAt, body.ttl) {
        case (.absent, .absent): return nil
        case (.null, .absent): return "never"
        case (.value(let text), .absent), (.absent, .value(let text)): return text
        case (.absent, .null): return "never"
        default: throw KeysAPIController.invalid("expiresAt", "Send expiresAt or ttl, not both.")
        }
    }

    /// The subset rule's refusal as a 403 that names each field too wide.
    private func issuing<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let tooWide as AdminKeyIssuer.TooWide {
            throw HTTPProblem(
                .forbidden, "FORBIDDEN", "An admin key cannot grant more than it holds", fields: tooWide.fields)
        }
    }
}
