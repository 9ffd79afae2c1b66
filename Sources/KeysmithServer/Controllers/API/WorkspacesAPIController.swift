import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore

/// `/workspaces…`, `/members…` and `/invites…` (DESIGN §11): the tenant and its people.
struct WorkspacesAPIController {
    let services: AppServices
    let callers: APICallerResolver
    let invites: InviteIssuer

    private var database: any Store { services.database }
    private var now: Date { services.clock.now() }

    func addRoutes(to routes: some RouterMethods<APIContext>) {
        routes.get("/workspaces", use: listWorkspaces)
        routes.post("/workspaces", use: createWorkspace)
        routes.get("/workspaces/:id", use: showWorkspace)
        routes.patch("/workspaces/:id", use: renameWorkspace)
        routes.delete("/workspaces/:id", use: deleteWorkspace)
        routes.get("/members", use: listMembers)
        routes.patch("/members/:id", use: changeRole)
        routes.delete("/members/:id", use: removeMember)
        routes.get("/invites", use: listInvites)
        routes.post("/invites", use: invite)
        routes.post("/invites/accept", use: accept)
        routes.delete("/invites/:id", use: revoke)
        for (path, methods) in Self.methodsByPath { routes.refuseOtherMethods(on: RouterPath(path), allowing: methods) }
    }

    static let methodsByPath: [(String, [HTTPRequest.Method])] = [
        ("/workspaces", [.get, .post]), ("/workspaces/:id", [.get, .patch, .delete]), ("/members", [.get]),
        ("/members/:id", [.patch, .delete]), ("/invites", [.get, .post]), ("/invites/accept", [.post]),
        ("/invites/:id", [.delete]),
    ]

    // MARK: Workspaces

    @Sendable func listWorkspaces(_ request: Request, context: APIContext) async throws -> Response {
        let user = try callers.sessionUser(request, context: context)
        let memberships = try await database.memberships(accountId: user.accountId)
        return .json(DataList(data: memberships.map { WorkspaceResource(workspace: $0.workspace, role: $0.role) }))
    }

    @Sendable func createWorkspace(_ request: Request, context: APIContext) async throws -> Response {
        let user = try callers.sessionUser(request, context: context)
        let body = try await JSONBody.decode(WorkspaceNameRequest.self, from: request, context: context)
        let name = try Self.name(body.name)
        let workspace = try await database.createWorkspace(
            name: name, owner: user.accountId, origin: RequestOrigin(request, context).by(user.actor), now: now)
        var response = Response.json(WorkspaceResource(workspace: workspace, role: .owner), status: .created)
        response.headers[.location] = "/api/v1/workspaces/\(workspace.id)"
        return response
    }

    @Sendable func showWorkspace(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context, workspace: try Self.workspaceID(context))
        try caller.require(.readProjects)
        return .json(WorkspaceResource(workspace: caller.workspace, role: caller.role))
    }

    @Sendable func renameWorkspace(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context, workspace: try Self.workspaceID(context))
        try caller.require(.manageWorkspace)
        let body = try await JSONBody.decode(WorkspaceNameRequest.self, from: request, context: context)
        let renamed = try await database.renameWorkspace(
            caller.workspaceID, to: try Self.name(body.name), origin: caller.origin, now: now)
        return .json(WorkspaceResource(workspace: renamed, role: caller.role))
    }

    @Sendable func deleteWorkspace(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context, workspace: try Self.workspaceID(context))
        try caller.require(.manageWorkspace)
        try await services.keys.deleteWorkspace(caller.workspaceID, origin: caller.origin)
        return .json(MessageBody(message: "Workspace deleted"))
    }

    // MARK: Members

    @Sendable func listMembers(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.readMembers)
        return .json(DataList(data: try await database.members(of: caller.workspaceID).map(MemberResource.init)))
    }

    @Sendable func changeRole(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeMembers)
        let member = try Self.memberID(context)
        let body = try await JSONBody.decode(RoleRequest.self, from: request, context: context)
        guard let role = body.role.flatMap(Role.init(rawValue:)) else {
            throw KeysAPIController.invalid("role", "Use one of owner, admin, developer, viewer.")
        }
        let changed = try await database.changeRole(
            in: caller.workspaceID, of: member, to: role, actor: caller.role ?? .viewer, origin: caller.origin, now: now)
        return .json(MemberResource(member: changed))
    }

    @Sendable func removeMember(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        let member = try Self.memberID(context)
        // Leaving needs no role; removing someone else does.
        let leaving = caller.userID == member
        if !leaving { try caller.require(.writeMembers) }
        try await services.keys.removeMember(
            member, from: caller.workspaceID, actor: leaving ? nil : caller.role, origin: caller.origin)
        return .json(MessageBody(message: leaving ? "You left the workspace" : "Member removed"))
    }

    // MARK: Invitations

    @Sendable func listInvites(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeMembers)
        let invites = try await database.invites(of: caller.workspaceID, now: now)
        return .json(DataList(data: invites.map { InviteResource(invite: $0) }))
    }

    @Sendable func invite(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeMembers)
        let body = try await JSONBody.decode(InviteRequest.self, from: request, context: context)
        let made = try await invites.invite(
            email: body.email ?? "", role: body.role, to: caller.workspaceID, inviterRole: caller.role,
            invitedBy: caller.origin.actor.label, host: request.head.authority ?? "127.0.0.1:8080", origin: caller.origin)
        var response = Response.json(InviteResource(invite: made.invite, url: made.url), status: .created)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func revoke(_ request: Request, context: APIContext) async throws -> Response {
        let caller = try await callers.caller(request, context: context)
        try caller.require(.writeMembers)
        guard let id = InviteID(try context.parameters.require("id")) else { throw WorkspaceError.notFound }
        try await database.revokeInvite(id, in: caller.workspaceID, origin: caller.origin, now: now)
        return .json(MessageBody(message: "Invitation revoked"))
    }

    @Sendable func accept(_ request: Request, context: APIContext) async throws -> Response {
        let user = try callers.sessionUser(request, context: context)
        let body = try await JSONBody.decode(AcceptInviteRequest.self, from: request, context: context)
        guard let token = body.token, (1...128).contains(token.utf8.count) else {
            throw KeysAPIController.invalid("token", "Send the invitation's token: the last part of its link.")
        }
        let joined = try await database.acceptInvite(
            tokenHash: RandomToken.hash(token), accountId: user.accountId, origin: RequestOrigin(request, context).by(user.actor),
            now: now)
        guard let workspace = try await database.workspace(id: joined) else { throw WorkspaceError.notFound }
        return .json(WorkspaceResource(workspace: workspace, role: try await database.role(of: user.accountId, in: joined)))
    }

    // MARK: Helpers

    private static func workspaceID(_ context: APIContext) throws -> WorkspaceID {
        guard let id = WorkspaceID(try context.parameters.require("id")) else { throw WorkspaceError.notFound }
        return id
    }

    private static func memberID(_ context: APIContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")) else { throw WorkspaceError.notFound }
        return id
    }

    private static func name(_ text: String?) throws -> String {
        switch WorkspaceName.parse(text ?? "", what: "a workspace name") {
        case .success(let name): return name
        case .failure(let message): throw KeysAPIController.invalid("name", message.text)
        }
    }
}
