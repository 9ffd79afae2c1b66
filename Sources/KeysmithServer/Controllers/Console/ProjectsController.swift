import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore

/// `/projects…`: the workspace's keyspaces — list, create, settings (name, key prefix, description, gate
/// snippets), delete — and `POST /switch`, which changes the current workspace and project.
struct ProjectsController {
    let services: AppServices

    func addRoutes(to routes: some RouterMethods<ConsoleContext>) {
        routes.get("/projects", use: list)
        routes.post("/projects", use: create)
        routes.get("/projects/:id", use: show)
        routes.post("/projects/:id/settings", use: update)
        routes.get("/projects/:id/delete", use: confirmDelete)
        routes.post("/projects/:id/delete", use: delete)
        routes.post("/switch", use: switchPlace)
    }

    @Sendable func list(_ request: Request, context: ConsoleContext) async throws -> Response {
        try await renderList(context, form: ProjectFormValues(), errors: [:])
    }

    @Sendable func create(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageProjects)
        let fields = try await FormFields.read(request, context: context)
        let form = Self.values(fields)
        do {
            let spec = try ProjectSpec.validate(name: form.name, keyPrefix: form.keyPrefix, description: form.description)
            let project = try await services.database.createProject(
                in: context.workspace.id, spec, origin: RequestOrigin(request, context), now: services.clock.now())
            try await services.database.selectWorkspace(
                sessionId: context.account.sessionId, workspace: context.workspace.id, project: project.id)
            return redirect(
                to: "/projects/\(project.id)",
                flash: .success("Project “\(project.name)” created. It is now your current project."))
        } catch WorkspaceError.invalid(let errors) {
            return try await renderList(context, form: form, errors: errors, status: .unprocessableContent)
        } catch WorkspaceError.nameTaken(let message) {
            return try await renderList(context, form: form, errors: ["name": message], status: .conflict)
        }
    }

    @Sendable func show(_ request: Request, context: ConsoleContext) async throws -> Response {
        let project = try await ownedProject(context)
        return try await renderSettings(
            project, context: context, request: request,
            form: ProjectFormValues(name: project.name, keyPrefix: project.keyPrefix, description: project.description),
            errors: [:])
    }

    @Sendable func update(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageProjects)
        let project = try await ownedProject(context)
        let form = Self.values(try await FormFields.read(request, context: context))
        do {
            let spec = try ProjectSpec.validate(name: form.name, keyPrefix: form.keyPrefix, description: form.description)
            _ = try await services.database.updateProject(
                project.id, in: context.workspace.id, spec, origin: RequestOrigin(request, context), now: services.clock.now())
        } catch WorkspaceError.invalid(let errors) {
            return try await renderSettings(
                project, context: context, request: request, form: form, errors: errors, status: .unprocessableContent)
        } catch WorkspaceError.nameTaken(let message) {
            return try await renderSettings(
                project, context: context, request: request, form: form, errors: ["name": message], status: .conflict)
        }
        return redirect(
            to: "/projects/\(project.id)",
            flash: .success(
                "Project settings saved. New keys start with “\(form.keyPrefix.trimmingCharacters(in: .whitespaces))_”."))
    }

    @Sendable func confirmDelete(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageProjects)
        let project = try await ownedProject(context)
        let counts = try await services.database.keyCountsByProject(in: context.workspace.id)
        let page = DeleteProjectPage(
            layout: Layout("Delete \(project.name)", context, section: .projects), name: project.name,
            url: "/projects/\(project.id)", keyCount: counts[project.id] ?? 0)
        return try services.views.render(page)
    }

    @Sendable func delete(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageProjects)
        let project = try await ownedProject(context)
        do {
            try await services.keys.deleteProject(project.id, in: context.workspace.id, origin: RequestOrigin(request, context))
        } catch WorkspaceError.conflict(let message) {
            return redirect(to: "/projects/\(project.id)", flash: .error(message))
        }
        return redirect(to: "/projects", flash: .success("Project “\(project.name)” and its keys were deleted."))
    }

    /// The header's switcher: another workspace (its first project unless one of its own is named) or project.
    @Sendable func switchPlace(_ request: Request, context: ConsoleContext) async throws -> Response {
        let fields = try await FormFields.read(request, context: context)
        guard let workspace = fields["workspace_id"].flatMap(WorkspaceID.init),
            context.selection.memberships.contains(where: { $0.workspace.id == workspace })
        else { throw WorkspaceError.notFound }
        // A project of the workspace being left means nothing in the new one; the selection falls back to its first.
        let project = workspace == context.workspace.id ? fields["project_id"].flatMap(ProjectID.init) : nil
        try await services.database.selectWorkspace(sessionId: context.account.sessionId, workspace: workspace, project: project)
        return .redirect(to: SiteURL.keys.path)
    }

    // MARK: Helpers

    private func ownedProject(_ context: ConsoleContext) async throws -> ProjectRecord {
        guard let id = ProjectID(try context.parameters.require("id")),
            let project = context.selection.projects.first(where: { $0.id == id })
        else { throw WorkspaceError.notFound }
        return project
    }

    private static func values(_ fields: FormFields) -> ProjectFormValues {
        ProjectFormValues(
            name: fields["name"] ?? "", keyPrefix: fields["key_prefix"] ?? "", description: fields["description"] ?? "")
    }

    private func renderList(
        _ context: ConsoleContext, form: ProjectFormValues, errors: [String: String], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let counts = try await services.database.keyCountsByProject(in: context.workspace.id)
        let rows = context.selection.projects.map { project in
            ProjectListPage.Row(
                id: project.id.value, name: project.name, keyPrefix: project.keyPrefix, description: project.description,
                keyCount: counts[project.id] ?? 0, url: "/projects/\(project.id)", isCurrent: project.id == context.project.id)
        }
        let page = ProjectListPage(
            layout: Layout("Projects", context, section: .projects), rows: rows, form: form, errors: errors)
        return try services.views.render(page, status: status)
    }

    private func renderSettings(
        _ project: ProjectRecord, context: ConsoleContext, request: Request, form: ProjectFormValues,
        errors: [String: String], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let counts = try await services.database.keyCountsByProject(in: context.workspace.id)
        let host = request.head.authority ?? "127.0.0.1:8080"
        let page = ProjectSettingsPage(
            layout: Layout(project.name, context, section: .projects), id: project.id.value, name: project.name,
            url: "/projects/\(project.id)", keyCount: counts[project.id] ?? 0, form: form, errors: errors,
            snippets: GateSnippets(projectID: project.id.value, keysmith: "http://\(host)"),
            canDelete: context.role.allows(.manageProjects) && context.selection.projects.count > 1)
        return try services.views.render(page, status: status)
    }

    private func redirect(to path: String, flash: Flash) -> Response {
        var response = Response.redirect(to: path)
        response.setCookie(services.cookies.flash(flash))
        return response
    }
}
