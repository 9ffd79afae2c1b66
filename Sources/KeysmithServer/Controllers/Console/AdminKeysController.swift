import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore

/// `/admin-keys…`: credentials for the management API (owners and admins). A new key's token is shown once, on
/// the page the creation redirects to, and never again.
struct AdminKeysController {
    let services: AppServices
    let issuer: AdminKeyIssuer
    let vault: OneTimeVault<ShownOnce>

    static let vaultSubject = "admin-key"

    func addRoutes(to routes: some RouterMethods<ConsoleContext>) {
        routes.get("/admin-keys", use: list)
        routes.post("/admin-keys", use: create)
        routes.post("/admin-keys/:id/delete", use: delete)
    }

    @Sendable func list(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageAdminKeys)
        let created = request.uri.queryParameters.get("created").flatMap {
            vault.withdraw($0, subject: Self.vaultSubject, sessionId: context.account.sessionId, now: services.clock.now())
        }
        var response = try await render(
            context, form: AdminKeyFormValues(), chosen: [], projects: [], errors: [:], created: created)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func create(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageAdminKeys)
        let fields = try await FormFields.read(request, context: context)
        let form = AdminKeyFormValues(
            name: fields["name"] ?? "", expiry: fields["expiry"] ?? "", ipAllowlist: fields["ip_allowlist"] ?? "")
        let chosen = fields.all("permissions")
        let projects = fields.all("projects")
        let draft = AdminKeyDraft(
            name: form.name, permissions: chosen, projects: projects.isEmpty ? nil : projects, expiry: form.expiry,
            ipAllowlist: form.ipAllowlist.split(whereSeparator: \.isNewline).map(String.init))
        do {
            let (key, token) = try await issuer.create(
                draft, in: context.workspace.id, grantor: nil, origin: RequestOrigin(request, context))
            let id = vault.deposit(
                ShownOnce(name: key.name, value: token.value), subject: Self.vaultSubject,
                sessionId: context.account.sessionId, now: services.clock.now())
            return .redirect(to: "/admin-keys?created=\(id)")
        } catch WorkspaceError.invalid(let errors) {
            return try await render(
                context, form: form, chosen: chosen, projects: projects, errors: errors, status: .unprocessableContent)
        } catch WorkspaceError.nameTaken(let message) {
            return try await render(
                context, form: form, chosen: chosen, projects: projects, errors: ["name": message], status: .conflict)
        }
    }

    @Sendable func delete(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageAdminKeys)
        guard let id = AdminKeyID(try context.parameters.require("id")) else { throw WorkspaceError.notFound }
        try await services.database.deleteAdminKey(
            id: id, in: context.workspace.id, origin: RequestOrigin(request, context), now: services.clock.now())
        var response = Response.redirect(to: "/admin-keys")
        response.setCookie(services.cookies.flash(.success("Admin key deleted. Calls using it now fail.")))
        return response
    }

    private func render(
        _ context: ConsoleContext, form: AdminKeyFormValues, chosen: [String], projects: [String], errors: [String: String],
        created: ShownOnce? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let now = services.clock.now()
        let keys = try await services.database.adminKeys(in: context.workspace.id)
        let names = Dictionary(uniqueKeysWithValues: context.selection.projects.map { ($0.id, $0.name) })
        let rows = keys.map { key in
            AdminKeysPage.Row(
                id: key.id.value, name: key.name, hint: key.hint,
                permissions: key.grant.permissions.sorted().map(\.rawValue).joined(separator: ", "),
                projects: key.grant.projects.map { $0.sorted().map { names[$0] ?? $0.value }.joined(separator: ", ") }
                    ?? "All projects",
                expires: key.grant.expiresAt.map { DisplayDate($0, now: now).exact } ?? "Never",
                lastUsed: key.lastUsedAt.map { DisplayDate($0, now: now).relative } ?? "Never")
        }
        let page = AdminKeysPage(
            layout: Layout("Admin keys", context, section: .adminKeys), rows: rows, hasRows: !rows.isEmpty,
            permissions: FormOption.list(AdminPermission.allCases.map { ($0.rawValue, $0.rawValue) }) { chosen.contains($0) },
            projects: FormOption.list(context.selection.projects.map { ($0.id.value, $0.name) }) { projects.contains($0) },
            form: form, errors: errors, newToken: created?.value, newName: created?.name)
        return try services.views.render(page, status: status)
    }
}
