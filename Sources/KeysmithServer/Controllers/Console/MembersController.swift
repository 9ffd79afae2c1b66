import Foundation
import HTTPTypes
import Hummingbird
import KeysmithCore
import KeysmithStore

/// `/members…` and `/invites…`: the workspace's people (DESIGN §11). Owners and admins invite by one-time link,
/// change roles and remove members; only owners touch owners, and a workspace keeps one.
struct MembersController {
    let services: AppServices
    let invites: InviteIssuer
    /// The link of a new invitation, shown once on the page the creation redirects to.
    let vault: OneTimeVault<ShownOnce>

    static let vaultSubject = "invite"

    func addRoutes(to routes: some RouterMethods<ConsoleContext>) {
        routes.get("/members", use: list)
        routes.post("/members/:account/role", use: changeRole)
        routes.post("/members/:account/remove", use: remove)
        routes.post("/invites", use: invite)
        routes.post("/invites/:id/revoke", use: revoke)
        routes.post("/invites/:id/accept", use: accept)
    }

    /// The invitation page is open to visitors who are not signed in, so they can sign up or log in from it.
    func addPublicRoutes(to routes: some RouterMethods<AppRequestContext>) {
        routes.get("/invites/:id", use: showInvite)
    }

    @Sendable func list(_ request: Request, context: ConsoleContext) async throws -> Response {
        let invited = request.uri.queryParameters.get("invited").flatMap {
            vault.withdraw($0, subject: Self.vaultSubject, sessionId: context.account.sessionId, now: services.clock.now())
        }
        var response = try await render(context, email: "", errors: [:], newInvite: invited)
        response.headers[.cacheControl] = "no-store"  // the link is a credential
        return response
    }

    @Sendable func invite(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageMembers)
        let fields = try await FormFields.read(request, context: context)
        let typed = fields["email"] ?? ""
        let made: (invite: InviteRecord, url: String)
        do {
            made = try await invites.invite(
                email: typed, role: fields["role"], to: context.workspace.id, inviterRole: context.role,
                invitedBy: context.account.email, host: request.head.authority ?? "127.0.0.1:8080",
                origin: RequestOrigin(request, context))
        } catch WorkspaceError.invalid(let errors) {
            return try await render(context, email: typed, errors: errors, status: .unprocessableContent)
        }
        let id = vault.deposit(
            ShownOnce(name: made.invite.email, value: made.url), subject: Self.vaultSubject,
            sessionId: context.account.sessionId, now: services.clock.now())
        return .redirect(to: "/members?invited=\(id)")
    }

    @Sendable func revoke(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageMembers)
        guard let id = InviteID(try context.parameters.require("id")) else { throw WorkspaceError.notFound }
        try await services.database.revokeInvite(
            id, in: context.workspace.id, origin: RequestOrigin(request, context), now: services.clock.now())
        return redirect(flash: .success("Invitation revoked; its link no longer works."))
    }

    @Sendable func changeRole(_ request: Request, context: ConsoleContext) async throws -> Response {
        try context.require(.manageMembers)
        let accountId = try memberID(context)
        // Another workspace's member is not found, whatever the form says.
        guard try await services.database.role(of: accountId, in: context.workspace.id) != nil else {
            throw WorkspaceError.notFound
        }
        let fields = try await FormFields.read(request, context: context)
        guard let role = fields["role"].flatMap(Role.init(rawValue:)) else {
            return redirect(flash: .error("Choose a role."))
        }
        do {
            let member = try await services.database.changeRole(
                in: context.workspace.id, of: accountId, to: role, actor: context.role, origin: RequestOrigin(request, context),
                now: services.clock.now())
            return redirect(flash: .success("\(member.email) is now \(role.rawValue)."))
        } catch WorkspaceError.conflict(let message), WorkspaceError.forbidden(let message) {
            return redirect(flash: .error(message))
        }
    }

    @Sendable func remove(_ request: Request, context: ConsoleContext) async throws -> Response {
        let accountId = try memberID(context)
        let leaving = accountId == context.account.accountId
        if !leaving { try context.require(.manageMembers) }
        do {
            try await services.keys.removeMember(
                accountId, from: context.workspace.id, actor: leaving ? nil : context.role,
                origin: RequestOrigin(request, context))
        } catch WorkspaceError.conflict(let message), WorkspaceError.forbidden(let message) {
            return redirect(flash: .error(message))
        }
        if leaving {
            var response = Response.redirect(to: SiteURL.keys.path)
            response.setCookie(services.cookies.flash(.success("You left \(context.workspace.name).")))
            return response
        }
        return redirect(flash: .success("Member removed. Their personal keys in this workspace are disabled."))
    }

    @Sendable func showInvite(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("id")
        guard (1...128).contains(token.utf8.count),
            let found = try await services.database.invite(tokenHash: RandomToken.hash(token), now: services.clock.now())
        else { throw WorkspaceError.notFound }
        let here = "/invites/\(token)"
        let page = InvitePage(
            layout: Layout("Join \(found.workspace.name)", context, isAuthPage: true), token: token,
            workspaceName: found.workspace.name, role: found.invite.role.rawValue, email: found.invite.email,
            isSignedIn: context.identity != nil,
            isForSomeoneElse: context.identity.map { $0.email != found.invite.email } ?? false,
            signupURL: "/signup?invite=\(token)", loginURL: "/login?next=\(here.addingPercentEncodingForQuery())")
        var response = try services.views.render(page)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func accept(_ request: Request, context: ConsoleContext) async throws -> Response {
        let token = try context.parameters.require("id")
        let workspace = try await services.database.acceptInvite(
            tokenHash: RandomToken.hash(token), accountId: context.account.accountId, origin: RequestOrigin(request, context),
            now: services.clock.now())
        try await services.database.selectWorkspace(sessionId: context.account.sessionId, workspace: workspace, project: nil)
        var response = Response.redirect(to: SiteURL.keys.path)
        response.setCookie(services.cookies.flash(.success("Welcome! You joined the workspace; it is now your current one.")))
        return response
    }

    // MARK: Helpers

    private func memberID(_ context: ConsoleContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("account")) else { throw WorkspaceError.notFound }
        return id
    }

    private func render(
        _ context: ConsoleContext, email: String, errors: [String: String], newInvite: ShownOnce? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let now = services.clock.now()
        let members = try await services.database.members(of: context.workspace.id)
        let invites =
            context.role.allows(.manageMembers) ? try await services.database.invites(of: context.workspace.id, now: now) : []
        let assignable = Role.allCases.reversed().filter { $0 != .owner || context.role == .owner }
        let rows = members.map { member in
            let isYou = member.accountId == context.account.accountId
            let mayChange = !isYou && context.role.mayChange(member.role, to: .viewer)
            return MembersPage.MemberRow(
                accountId: String(member.accountId), email: member.email, role: member.role.title,
                joined: DisplayDate(member.joinedAt, now: now), isYou: isYou,
                roleOptions: mayChange
                    ? FormOption.list(assignable.map { ($0.rawValue, $0.title) }) { $0 == member.role.rawValue } : [],
                canChangeRole: mayChange,
                canRemove: isYou || context.role.mayChange(member.role, to: nil))
        }
        let page = MembersPage(
            layout: Layout("Members", context, section: .members), members: rows,
            invites: invites.map {
                MembersPage.InviteRow(
                    id: $0.id.value, email: $0.email, role: $0.role.title, expires: DisplayDate($0.expiresAt, now: now))
            },
            hasInvites: !invites.isEmpty,
            inviteRoles: FormOption.list(assignable.map { ($0.rawValue, $0.title) }) { $0 == Role.developer.rawValue },
            inviteEmail: email, errors: errors, newInviteURL: newInvite?.value, newInviteEmail: newInvite?.name)
        return try services.views.render(page, status: status)
    }

    private func redirect(flash: Flash) -> Response {
        var response = Response.redirect(to: "/members")
        response.setCookie(services.cookies.flash(flash))
        return response
    }
}
