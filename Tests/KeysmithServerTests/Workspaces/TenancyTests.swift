import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import Testing

@testable import KeysmithServer

/// DESIGN §11's boundaries: another workspace's objects are 404 everywhere, a gate accepts only its project's keys,
/// and the project a management call works in is chosen, never guessed.
@Suite struct TenancyTests {
    @Test func anotherWorkspacesIdsAnswer404OnEveryAPIRouteAndChangeNothing() async throws {
        try await TeamFixture.withTeam { app, browsers, team in
            var mallory = Browser(browsers[0].client)
            try await mallory.signUp(email: "mallory@example.com")
            let asMallory = APIClient(session: mallory)
            let before = try await TeamFixture.state(app, team)

            for row in RoleTableTests.apiRows where row.path.contains("{") {
                let response = try await asMallory.send(
                    row.method, row.resolved(team, row.path), raw: row.body.map { row.resolved(team, $0) })
                try expectProblem(response, .notFound, "NOT_FOUND")
            }
            var named = asMallory
            named.headers[HTTPField.Name("x-workspace-id")!] = team.workspace.value
            try expectProblem(try await named.get("/api/v1/keys"), .notFound, "NOT_FOUND")
            try expectProblem(
                try await asMallory.get("/api/v1/keys", headers: [HTTPField.Name("x-project-id")!: team.project.value]),
                .notFound, "NOT_FOUND")
            #expect(try await TeamFixture.state(app, team) == before)
        }
    }

    @Test func anotherWorkspacesIdsAnswer404OnEveryConsoleRoute() async throws {
        try await TeamFixture.withTeam { app, browsers, team in
            var mallory = Browser(browsers[0].client)
            try await mallory.signUp(email: "mallory@example.com")
            let before = try await TeamFixture.state(app, team)

            for row in RoleTableTests.consoleRows where row.path.contains("{") {
                let path = row.resolved(team, row.path)
                let response = row.method == .get ? try await mallory.get(path) : try await mallory.submit(path, [])
                #expect(response.status == .notFound, "\(row.testDescription): \(response.status)")
            }
            let switched = try await mallory.post("/switch", ["workspace_id": team.workspace.value])
            #expect(switched.status == .notFound)
            #expect(try await TeamFixture.state(app, team) == before)
        }
    }

    @Test func aGateAcceptsOnlyItsOwnProjectsKeysWithoutHashingForTheOthers() async throws {
        let path = try await TestHotPath()
        let (_, token) = try await path.activeKey()
        let other = try await path.database.createProject(
            in: path.project.workspaceId, try ProjectSpec.validate(name: "Other", keyPrefix: nil, description: nil),
            origin: path.origin, now: path.clock.now)
        let runs = path.metric("keysmith_argon2_runs_total")

        #expect(try await path.verifier.verify(token, project: other.id).code == .notFound)
        #expect(try await path.verifier.verify(token, project: .generate()).code == .notFound)
        #expect(path.metric("keysmith_argon2_runs_total") == runs, "another project's key costs no Argon2")
        #expect(try await path.verifier.verify(token, project: path.project.id).code == .valid)
    }

    @Test func forwardAuthAndVerifyNameTheirProject() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let session = APIClient(session: browser)
            let key = try await session.createKey(["name": "gate"])
            let token = try #require(key.token)
            let other = try await session.post("/api/v1/projects", ["name": "Other"]).json["id"]?.string ?? ""
            let asKey = APIClient(token: token, client: browser.client)
            let anonymous = APIClient(client: browser.client)

            try expectProblem(try await asKey.get("/api/v1/auth"), .badRequest, "PROJECT_REQUIRED")
            try expectProblem(try await asKey.get("/api/v1/auth?project=nope"), .badRequest, "VALIDATION")
            try expectProblem(try await asKey.get("/api/v1/auth?project=\(other)"), .unauthorized, "INVALID_API_KEY")
            let project = key.body["projectId"]?.string ?? ""
            let passed = try await asKey.get("/api/v1/auth?project=\(project)")
            let refused = try await asKey.get("/api/v1/auth?project=\(project)&scope=orders:write")
            #expect(passed.status == .ok)
            #expect(passed.headers[HTTPField.Name("X-Keysmith-Key-Id")!] == key.id)
            try expectProblem(refused, .forbidden, "INSUFFICIENT_SCOPE")
            #expect(refused.headers[HTTPField.Name("X-Keysmith-Key-Id")!] == key.id, "a known key is named even when refused")
            #expect(refused.headers[HTTPField.Name("X-Keysmith-Project-Id")!] == project)
            let missing = try await anonymous.post("/api/v1/keys/verify", ["token": token])
            let fields = try expectProblem(missing, .unprocessableContent, "PROJECT_REQUIRED")
            #expect(fields.keys.sorted() == ["project"])
            #expect(try await anonymous.verify(token: token, project: other)["code"] == .string("NOT_FOUND"))
        }
    }

    @Test func withSeveralProjectsAManagementCallMustNameOneAndXEntityIdIsASynonym() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let session = APIClient(session: browser)
            let first = try await session.createKey(["name": "in default"])
            let other = try #require(
                try await session.post("/api/v1/projects", ["name": "Other", "keyPrefix": "ek"]).json["id"]?.string)

            let unnamed = try await session.get("/api/v1/keys")
            let fields = try expectProblem(unnamed, .unprocessableContent, "PROJECT_REQUIRED")
            #expect(fields.keys.sorted() == ["project"])
            let created = try await session.createKey(["name": "entity one"], headers: [HTTPField.Name("x-entity-id")!: other])
            #expect(created.id.hasPrefix("ek_live_"))
            #expect(created.body["projectId"] == .string(other))
            let listed = try await session.get("/api/v1/keys", headers: [HTTPField.Name("x-project-id")!: other])
            #expect(try listed.json["data"]?.array?.compactMap { $0["id"]?.string } == [created.id])
            // A key's own routes find it in any project of the workspace, unless the header names another.
            #expect(try await session.get("/api/v1/keys/\(first.id)").status == .ok)
            try expectProblem(
                try await session.get("/api/v1/keys/\(first.id)", headers: [HTTPField.Name("x-project-id")!: other]), .notFound,
                "NOT_FOUND")
        }
    }

    /// Seed 004's shape: snake_case, an integer ttl, a masked list, `{"message": "API key deleted"}`.
    @Test func entityRoutesSpeakSeed004sShape() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let session = APIClient(session: browser)
            let project = try await defaultProject(app)

            let created = try await session.post(
                "/api/v1/entities/api-keys", ["name": "partner", "environment": "sandbox", "ttl": 3600])
            let body = try created.json
            let listed = try await session.get("/api/v1/entities/api-keys").json
            let id = try #require(body["id"]?.string)
            let zero = try await session.post("/api/v1/entities/api-keys", ["name": "never", "ttl": 0])
            let deleted = try await session.delete("/api/v1/entities/api-keys/\(id)")

            #expect(created.status == .created)
            #expect(body["entity_id"] == .string(project.id.value))
            #expect(body["expires_at"] == .string(RFC3339.string(from: app.clock.now.addingTimeInterval(3600))))
            #expect(body["token"]?.string?.hasPrefix(id + "_") == true)
            let row = try #require(listed["data"]?[0])
            #expect(
                Set(try #require(row.object).keys) == [
                    "id", "entity_id", "name", "environment", "prefix_hint", "created_at", "updated_at", "expires_at",
                ])
            #expect(row["prefix_hint"]?.string?.contains("…") == true)
            #expect(!(try await session.get("/api/v1/entities/api-keys").text.contains(try #require(body["token"]?.string))))
            let zeroFields = try expectProblem(zero, .unprocessableContent, "VALIDATION")
            #expect(zeroFields.keys.contains("ttl"))
            #expect(try deleted.json == json(#"{"message": "API key deleted"}"#))
        }
    }

    /// DESIGN §8 and the review's finding 14.5: a key's own headers cannot set reserved names.
    @Test(arguments: [
        "X-Frame-Options", "Content-Security-Policy", "Strict-Transport-Security", "Access-Control-Allow-Origin", "Cache-Control",
        "X-Keysmith-Key-Id",
    ])
    func reservedResponseHeaderNamesAreRefusedWithTheField(name: String) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let session = APIClient(session: browser)
            let before = try await AccountState.of(app)

            let response = try await session.post(
                "/api/v1/keys", ["name": "sneaky", "responseHeaders": [["name": name, "value": "x"]]])

            let fields = try expectProblem(response, .unprocessableContent, "VALIDATION")
            #expect(fields["responseHeaders"]?.contains("reserved") == true)
            #expect(try await AccountState.of(app) == before)
        }
    }
}

extension TenancyTests {
    /// A taken name is the same 409 for projects and admin keys as for keys, next to the name, and writes nothing.
    @Test func aTakenProjectOrAdminKeyNameIsAConflictOnTheName() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let session = APIClient(session: browser)
            #expect(try await session.post("/api/v1/projects", ["name": "Billing"]).status == .created)
            _ = try await session.createAdminKey(["name": "ci", "permissions": ["keys:read"]])
            let before = try await session.get("/api/v1/projects").text

            let project = try await session.post("/api/v1/projects", ["name": "Billing"])
            let adminKey = try await session.post("/api/v1/admin-keys", ["name": "ci", "permissions": ["keys:read"]])
            let console = try await browser.post("/projects", ["name": "Billing", "key_prefix": "bi"])

            #expect(try expectProblem(project, .conflict, "CONFLICT")["name"]?.contains("Billing") == true)
            #expect(try expectProblem(adminKey, .conflict, "CONFLICT").keys.sorted() == ["name"])
            #expect(console.status == .conflict)
            #expect(console.text.contains("This workspace already has a project named “Billing”."))
            #expect(try await session.get("/api/v1/projects").text == before)
        }
    }
}
