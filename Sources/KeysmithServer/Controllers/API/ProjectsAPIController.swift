import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore

/// `/projects…` (DESIGN §11): the workspace's keyspaces. An admin key sees only the projects it reaches.
struct ProjectsAPIController {
    let services: AppServices
    let callers: APICallerResolver

    private var database: any Store { services.database }

    func addRoutes(to routes: some RouterMethods<APIContext>) {
        routes.get("/projects", use: list)
        routes.post("/projects", use: create)
        routes.get("/projects/:id", use: show)
        routes.patch("/projects/:id", use: update)
        routes.delete("/projects/:id", use: delete)
        routes.refuseOtherMethods(on: "/projects", allowing: [.get, .post])
        routes.refuseOtherMethods(on: "/projects/:id", allowing: [.get, .patch, .delete])
    }

    @Sendable func list(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.readProjects)
        let projects = try await database.projects(of: caller.workspaceID).filter { caller.reaches($0.id) }
        return .json(DataList(data: projects.map(ProjectResource.init)))
    }

    @Sendable func create(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeProjects)
        // A key limited to some projects could not reach the one it made: only unlimited callers create projects.
        guard caller.adminKey?.grant.projects == nil else {
            throw HTTPProblem(.forbidden, "FORBIDDEN", "An admin key limited to some projects cannot create projects")
        }
        let body = try await JSONBody.decode(ProjectRequest.self, from: request, context: context)
        let spec = try ProjectSpec.validate(name: body.name ?? "", keyPrefix: body.keyPrefix, description: body.description)
        let project = try await database.createProject(
            in: caller.workspaceID, spec, origin: caller.origin, now: services.clock.now())
        var response = Response.json(ProjectResource(project: project), status: .created)
        response.headers[.location] = "/api/v1/projects/\(project.id)"
        return response
    }

    @Sendable func show(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.readProjects)
        return .json(ProjectResource(project: try await reachable(context, caller)))
    }

    @Sendable func update(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeProjects)
        let project = try await reachable(context, caller)
        let body = try await JSONBody.decode(ProjectRequest.self, from: request, context: context)
        let spec = try ProjectSpec.validate(
            name: body.name ?? project.name, keyPrefix: body.keyPrefix ?? project.keyPrefix,
            description: body.description ?? project.description)
        let updated = try await database.updateProject(
            project.id, in: caller.workspaceID, spec, origin: caller.origin, now: services.clock.now())
        return .json(ProjectResource(project: updated))
    }

    @Sendable func delete(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeProjects)
        let project = try await reachable(context, caller)
        try await services.keys.deleteProject(project.id, in: caller.workspaceID, origin: caller.origin)
        return .json(MessageBody(message: "Project deleted"))
    }

    private func reachable(_ context: APIContext, _ caller: APICaller) async throws -> ProjectRecord {
        guard let id = ProjectID(try context.parameters.require("id")), caller.reaches(id),
            let project = try await database.project(id: id, in: caller.workspaceID)
        else { throw WorkspaceError.notFound }
        return project
    }
}
