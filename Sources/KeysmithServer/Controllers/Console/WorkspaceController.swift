import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore

/// `/workspace` (settings of the current one: rename and delete are the owner's) and `/workspaces/new`.
struct WorkspaceController {
    let services: AppServices

    func addRoutes(to routes: some RouterMethods<ConsoleContext>) {
        routes.get("/workspace", use: show)
        routes.post("/workspace/rename", use: rename)
        routes.post("/workspace/delete", use: delete)
        routes.get("/workspaces/new", use: new)
        routes.post("/workspaces", use: create)
    }

    @Sendable func show(_ request: Request, context: ConsoleContext) async throws -> Response {
        try await render(context, nameValue: context.workspace.name, errors: [:])
    }

    @Sendable func rename(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageWorkspace)
        let typed = try await FormFields.read(request, context: context)["name"] ?? ""
        switch WorkspaceName.parse(typed, what: "a workspace name") {
        case .failure(let message):
            return try await render(context, nameValue: typed, errors: ["name": message.text], status: .unprocessableContent)
        case .success(let name):
            _ = try await services.database.renameWorkspace(
                context.workspace.id, to: name, origin: RequestOrigin(request, context), now: services.clock.now())
            return redirect(to: "/workspace", flash: .success("Workspace renamed to “\(name)”."))
        }
    }

    @Sendable func delete(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageWorkspace)
        let typed = try await FormFields.read(request, context: context)["confirm"] ?? ""
        guard typed.trimmingCharacters(in: .whitespaces) == context.workspace.name else {
            return try await render(
                context, nameValue: context.workspace.name,
                errors: ["confirm": "Type the workspace’s name, \(context.workspace.name), to delete it."],
                status: .unprocessableContent)
        }
        do {
            try await services.keys.deleteWorkspace(context.workspace.id, origin: RequestOrigin(request, context))
        } catch WorkspaceError.conflict(let message) {
            return try await render(context, nameValue: context.workspace.name, errors: ["confirm": message], status: .conflict)
        }
        return redirect(
            to: SiteURL.keys.path, flash: .success("Workspace “\(context.workspace.name)” and everything in it were deleted."))
    }

    @Sendable func new(_ request: Request, context: ConsoleContext) async throws -> Response {
        try services.views.render(
            NewWorkspacePage(layout: Layout("New workspace", context, section: .workspace), name: "", errors: [:]))
    }

    @Sendable func create(_ request: Request, context: ConsoleContext) async throws -> Response {
        let typed = try await FormFields.read(request, context: context)["name"] ?? ""
        switch WorkspaceName.parse(typed, what: "a workspace name") {
        case .failure(let message):
            let page = NewWorkspacePage(
                layout: Layout("New workspace", context, section: .workspace), name: typed, errors: ["name": message.text])
            return try services.views.render(page, status: .unprocessableContent)
        case .success(let name):
            let workspace = try await services.database.createWorkspace(
                name: name, owner: context.account.accountId, origin: RequestOrigin(request, context), now: services.clock.now())
            try await services.database.selectWorkspace(
                sessionId: context.account.sessionId, workspace: workspace.id, project: nil)
            return redirect(
                to: "/projects",
                flash: .success("Workspace “\(name)” created with a Default project. Invite your team from Members."))
        }
    }

    private func render(_ context: ConsoleContext, nameValue: String, errors: [String: String], status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let members = try await services.database.members(of: context.workspace.id)
        let page = WorkspaceSettingsPage(
            layout: Layout("Workspace settings", context, section: .workspace), id: context.workspace.id.value,
            name: context.workspace.name, nameValue: nameValue, errors: errors, memberCount: members.count,
            projectCount: context.selection.projects.count,
            isPersonal: context.workspace.personalAccountId == context.account.accountId)
        return try services.views.render(page, status: status)
    }

    private func redirect(to path: String, flash: Flash) -> Response {
        var response = Response.redirect(to: path)
        response.setCookie(services.cookies.flash(flash))
        return response
    }
}
