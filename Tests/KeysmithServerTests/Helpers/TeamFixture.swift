import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import Testing

@testable import KeysmithServer

/// A team workspace for the role and tenancy tests: ann's "Team" with bob (admin), carol (developer), dave (viewer)
/// and erin (viewer, the member that member routes act on), a key, a spare project, an admin key and a pending
/// invitation.
struct Team: Sendable {

    let workspace: WorkspaceID
    let project: ProjectID
    let spareProject: ProjectID
    let key: String
    let memberTarget: Int64
    let invite: InviteID
    let adminKey: String
}

enum TeamFixture {
    static let people: [(email: String, role: Role)] = [
        ("dave@example.com", .viewer), ("carol@example.com", .developer), ("bob@example.com", .admin),
        ("ann@example.com", .owner),
    ]

    /// What a refused request must leave alone in the team's workspace.
    struct State: Equatable {
        let keys: [String]
        let projects: [ProjectRecord]
        let members: [WorkspaceMember]
        let adminKeys: [AdminKey]
        let invites: Int
        let audit: Int
    }

    static func state(_ app: TestApp, _ team: Team) async throws -> State {
        let database = app.database
        var keys: [String] = []
        for project in try await database.projects(of: team.workspace) {
            let page = try await database.keys(projectID: project.id, matching: KeyListQuery(), now: app.clock.now)
            keys += page.items.map { "\($0.id)|\($0.name)|\($0.status)|\($0.hint ?? "")" }
        }
        return State(
            keys: keys.sorted(), projects: try await database.projects(of: team.workspace),
            members: try await database.members(of: team.workspace), adminKeys: try await database.adminKeys(in: team.workspace),
            invites: try await database.invites(of: team.workspace, now: app.clock.now).count,
            audit: try await database.auditEntries(workspaceID: team.workspace, page: 1).totalCount)
    }

    /// Ann's "Team" workspace with bob, carol, dave and erin in it, each browser switched to it.
    static func withTeam(_ test: @Sendable (TestApp, [Browser], Team) async throws -> Void) async throws {
        let app = try await TestApp()
        try await app.run { owner in
            try await owner.signUp()
            try await owner.post("/workspaces", ["name": "Team"])
            let ann = try await AccountState.accountId(app)
            let selection = try #require(try await app.database.selection(accountId: ann, workspace: nil, project: nil))
            let team = try #require(selection.memberships.first { $0.workspace.name == "Team" }?.workspace.id)
            var browsers: [Browser] = []
            for person in TeamFixture.people + [("erin@example.com", .viewer)] where person.role != .owner {
                var browser = Browser(owner.client)
                try await browser.signUp(email: person.email)
                let token = RandomToken.make()
                let invite = InviteRecord(
                    id: .generate(), workspaceId: team, email: person.email, role: person.role,
                    tokenHash: RandomToken.hash(token), invitedBy: "ann@example.com", createdAt: app.clock.now,
                    expiresAt: app.clock.now.addingTimeInterval(3600))
                try await app.database.createInvite(invite, origin: .commandLine, now: app.clock.now)
                let id = try await AccountState.accountId(app, email: person.email)
                _ = try await app.database.acceptInvite(
                    tokenHash: invite.tokenHash, accountId: id, origin: .commandLine, now: app.clock.now)
                try await browser.post("/switch", ["workspace_id": team.value])
                try await browser.get("/keys")
                if person.email != "erin@example.com" { browsers.append(browser) }
            }
            try await owner.post("/switch", ["workspace_id": team.value])
            try await owner.get("/keys")
            browsers.append(owner)
            let projects = try await app.database.projects(of: team)
            let project = try #require(projects.first)
            let spare = try await app.database.createProject(
                in: team, try ProjectSpec.validate(name: "Spare", keyPrefix: "sp", description: nil), origin: .commandLine,
                now: app.clock.now)
            var ownerAPI = APIClient(session: owner)
            ownerAPI.headers[HTTPField.Name("x-workspace-id")!] = team.value
            ownerAPI.headers[HTTPField.Name("x-project-id")!] = project.id.value
            let key = try await ownerAPI.createKey(["name": "team key"])
            let adminKey = try await ownerAPI.createAdminKey(["name": "team admin key", "permissions": ["keys:read"]])
            let pending = InviteRecord(
                id: .generate(), workspaceId: team, email: "pending@example.com", role: .viewer,
                tokenHash: RandomToken.hash(RandomToken.make()), invitedBy: "ann@example.com",
                createdAt: app.clock.now, expiresAt: app.clock.now.addingTimeInterval(3600))
            try await app.database.createInvite(pending, origin: .commandLine, now: app.clock.now)
            let erin = try await AccountState.accountId(app, email: "erin@example.com")
            try await test(
                app, browsers,
                Team(
                    workspace: team, project: project.id, spareProject: spare.id, key: key.id, memberTarget: erin,
                    invite: pending.id, adminKey: adminKey.id))
        }
    }
}
