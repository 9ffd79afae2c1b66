import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import Testing

@testable import KeysmithServer

/// DESIGN §11's role table, route by route: a team workspace where ann is owner, bob admin, carol developer and dave
/// viewer (erin, a second viewer, is the member the member routes act on). Each route is tried by every role from
/// the weakest up: those below its minimum role get 403 and change nothing; the first allowed role gets through.
/// Higher roles are allowed too — `Role.allows` is monotone, which `RoleTests` (Core) proves.
@Suite struct RoleTableTests {
    /// One row of the table: `{key}`, `{project}`, `{spare}`, `{member}`, `{invite}`, `{admin}`, `{workspace}` are
    /// replaced by the team's ids.
    struct Row: Sendable, CustomTestStringConvertible {
        let method: HTTPRequest.Method
        let path: String
        let body: String?
        let minimum: Role

        init(_ method: HTTPRequest.Method, _ path: String, _ minimum: Role, _ body: String? = nil) {
            (self.method, self.path, self.minimum, self.body) = (method, path, minimum, body)
        }

        var testDescription: String { "\(method) \(path) needs \(minimum)" }

        func resolved(_ team: Team, _ text: String) -> String {
            text.replacingOccurrences(of: "{key}", with: team.key)
                .replacingOccurrences(of: "{project}", with: team.project.value)
                .replacingOccurrences(of: "{spare}", with: team.spareProject.value)
                .replacingOccurrences(of: "{member}", with: String(team.memberTarget))
                .replacingOccurrences(of: "{invite}", with: team.invite.value)
                .replacingOccurrences(of: "{admin}", with: team.adminKey)
                .replacingOccurrences(of: "{workspace}", with: team.workspace.value)
        }
    }

    static let apiRows: [Row] = [
        Row(.get, "/api/v1/keys", .viewer), Row(.post, "/api/v1/keys", .developer, #"{"name": "made by a member"}"#),
        Row(.get, "/api/v1/keys/{key}", .viewer), Row(.patch, "/api/v1/keys/{key}", .developer, #"{"name": "renamed"}"#),
        Row(.post, "/api/v1/keys/{key}/rotate", .developer, #"{"grace": "1h"}"#),
        Row(.post, "/api/v1/keys/{key}/disable", .developer), Row(.delete, "/api/v1/keys/{key}", .developer),
        Row(.get, "/api/v1/keys/{key}/usage", .viewer), Row(.get, "/api/v1/audit", .viewer),
        Row(.get, "/api/v1/projects", .viewer), Row(.post, "/api/v1/projects", .admin, #"{"name": "New one"}"#),
        Row(.get, "/api/v1/projects/{project}", .viewer),
        Row(.patch, "/api/v1/projects/{project}", .admin, #"{"description": "changed"}"#),
        Row(.delete, "/api/v1/projects/{spare}", .admin), Row(.get, "/api/v1/members", .viewer),
        Row(.patch, "/api/v1/members/{member}", .admin, #"{"role": "developer"}"#),
        Row(.delete, "/api/v1/members/{member}", .admin), Row(.get, "/api/v1/invites", .admin),
        Row(.post, "/api/v1/invites", .admin, #"{"email": "new@example.com", "role": "viewer"}"#),
        Row(.delete, "/api/v1/invites/{invite}", .admin), Row(.get, "/api/v1/admin-keys", .admin),
        Row(.post, "/api/v1/admin-keys", .admin, #"{"name": "ci", "permissions": ["keys:read"]}"#),
        Row(.get, "/api/v1/admin-keys/{admin}", .admin),
        Row(.patch, "/api/v1/admin-keys/{admin}", .admin, #"{"name": "renamed"}"#),
        Row(.delete, "/api/v1/admin-keys/{admin}", .admin), Row(.get, "/api/v1/workspaces/{workspace}", .viewer),
        Row(.patch, "/api/v1/workspaces/{workspace}", .owner, #"{"name": "Renamed team"}"#),
        Row(.delete, "/api/v1/workspaces/{workspace}", .owner), Row(.get, "/api/v1/entities/api-keys", .viewer),
        Row(.post, "/api/v1/entities/api-keys", .developer, #"{"name": "entity key", "environment": "live", "ttl": 3600}"#),
        Row(.delete, "/api/v1/entities/api-keys/{key}", .developer),
    ]

    static let consoleRows: [Row] = [
        Row(.get, "/keys", .viewer), Row(.get, "/keys/new", .developer), Row(.post, "/keys", .developer, "name=console+key"),
        Row(.get, "/keys/{key}", .viewer), Row(.get, "/keys/{key}/edit", .developer),
        Row(.post, "/keys/{key}/edit", .developer, "name=renamed"), Row(.post, "/keys/{key}/disable", .developer),
        Row(.post, "/keys/{key}/rotate", .developer, "grace=1h"), Row(.get, "/keys/{key}/delete", .developer),
        Row(.post, "/keys/{key}/delete", .developer), Row(.get, "/projects", .viewer),
        Row(.post, "/projects", .admin, "name=New+one&key_prefix=nw"), Row(.get, "/projects/{project}", .viewer),
        Row(.post, "/projects/{project}/settings", .admin, "name=Team+project&key_prefix=tm"),
        Row(.get, "/projects/{spare}/delete", .admin), Row(.post, "/projects/{spare}/delete", .admin),
        Row(.get, "/members", .viewer), Row(.post, "/members/{member}/role", .admin, "role=developer"),
        Row(.post, "/members/{member}/remove", .admin), Row(.post, "/invites", .admin, "email=new%40example.com&role=viewer"),
        Row(.post, "/invites/{invite}/revoke", .admin), Row(.get, "/admin-keys", .admin),
        Row(.post, "/admin-keys", .admin, "name=ci&permissions=keys%3Aread&expiry=30d"),
        Row(.post, "/admin-keys/{admin}/delete", .admin), Row(.get, "/workspace", .viewer),
        Row(.post, "/workspace/rename", .owner, "name=Renamed+team"), Row(.get, "/audit", .viewer),
    ]

    @Test(arguments: apiRows)
    func apiRoutesAllowExactlyTheRolesTheTableNames(row: Row) async throws {
        try await TeamFixture.withTeam { app, browsers, team in
            for (index, person) in TeamFixture.people.enumerated() {
                var browser = browsers[index]
                var api = APIClient(session: browser)
                api.headers[HTTPField.Name("x-workspace-id")!] = team.workspace.value
                api.headers[HTTPField.Name("x-project-id")!] = team.project.value
                let before = try await TeamFixture.state(app, team)
                let response = try await api.send(
                    row.method, row.resolved(team, row.path), raw: row.body.map { row.resolved(team, $0) })
                _ = try await browser.get("/keys")  // keeps the session's CSRF token fresh, as a console page would
                if person.role < row.minimum {
                    try expectProblem(response, .forbidden, "FORBIDDEN")
                    #expect(try await TeamFixture.state(app, team) == before, "\(person.role) changed something")
                } else {
                    #expect((200..<300).contains(response.status.code), "\(person.role): \(response.status) \(response.text)")
                    break
                }
            }
        }
    }

    @Test(arguments: consoleRows)
    func consoleRoutesAllowExactlyTheRolesTheTableNames(row: Row) async throws {
        try await TeamFixture.withTeam { app, browsers, team in
            for (index, person) in TeamFixture.people.enumerated() {
                var browser = browsers[index]
                let before = try await TeamFixture.state(app, team)
                let path = row.resolved(team, row.path)
                let response: TestResponse
                if row.method == .get {
                    response = try await browser.get(path)
                } else {
                    let fields = (row.body.map { row.resolved(team, $0) } ?? "").split(separator: "&").map { pair in
                        let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
                        return (
                            parts[0].replacingOccurrences(of: "+", with: " "),
                            (parts.count > 1 ? parts[1] : "").replacingOccurrences(of: "+", with: " ")
                        )
                    }
                    response = try await browser.submit(path, fields)
                }
                if person.role < row.minimum {
                    #expect(response.status == .forbidden, "\(person.role): \(response.status)")
                    #expect(response.text.contains("does not allow this"), "the 403 page says why")
                    #expect(try await TeamFixture.state(app, team) == before, "\(person.role) changed something")
                } else {
                    #expect([.ok, .created, .seeOther].contains(response.status), "\(person.role): \(response.status)")
                    break
                }
            }
        }
    }
}
