import Foundation
import KeysmithCore
import KeysmithSQLite
import KeysmithStore
import Testing

@testable import KeysmithServer

/// DESIGN §11's migration, on a database the first slice's `keysmith` made (bb1026a, the commit before workspaces;
/// Tests/KeysmithStoreTests/Fixtures/make-main-bb1026a.sh shows how): two accounts, ann with keys in every state
/// and two management keys, bob with his own prefix.
@Suite struct WorkspacesMigrationTests {
    /// An hour after the fixture's keys were made, inside the rotated key's 7-day grace and the admin key's year.
    static let fixtureTime = Date(timeIntervalSince1970: 1_796_176_200)  // 2026-12-02T01:50:00Z

    struct Fixture {
        let database: SQLiteStore
        let folder: URL
        let tokens: [String: (id: String, token: String?)]
    }

    static func migratedFixture() throws -> Fixture {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("KeysmithStoreTests/Fixtures")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("keysmith-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("keysmith.sqlite")
        try FileManager.default.copyItem(at: source.appendingPathComponent("main-bb1026a.sqlite"), to: path)
        let json =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: source.appendingPathComponent("main-bb1026a-tokens.json"))) as? [String: [String: Any]]
        var tokens: [String: (id: String, token: String?)] = [:]
        for (name, entry) in json ?? [:] { tokens[name] = (entry["id"] as? String ?? "", entry["token"] as? String) }
        return Fixture(database: try SQLiteStore.open(path: path.path), folder: folder, tokens: tokens)
    }

    @Test func everyAccountBecomesAUserOwningAPersonalWorkspaceWithADefaultProjectOfItsKeys() async throws {
        let fixture = try Self.migratedFixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        let database = fixture.database

        for (email, prefix, keyNames) in [
            ("ann@example.com", "ks", ["custom", "orders client", "rotated", "switched off", "waiting", "wildcard"]),
            ("bob@example.com", "bob", ["orders client"]),
        ] {
            let account = try #require(try await database.account(email: EmailAddress(unchecked: email)))
            let memberships = try await database.memberships(accountId: try #require(account.id))
            #expect(memberships.count == 1)
            let membership = try #require(memberships.first)
            #expect(membership.role == .owner)
            #expect(membership.workspace.personalAccountId == account.id)
            let projects = try await database.projects(of: membership.workspace.id)
            #expect(projects.map(\.name) == ["Default"])
            let project = try #require(projects.first)
            #expect(project.keyPrefix == prefix)
            let keys = try await database.keys(
                projectID: project.id, matching: KeyListQuery(sort: .name), now: Self.fixtureTime)
            #expect(keys.items.map(\.name) == keyNames)
            #expect(keys.items.allSatisfy { $0.workspaceID == membership.workspace.id && $0.creatorID == account.id })
            let audit = try await database.auditEntries(workspaceID: membership.workspace.id, page: 1)
            #expect(audit.items.contains { $0.auditAction == .keyCreated })
            #expect(audit.items.allSatisfy { $0.actor == .user(id: try! #require(account.id), email: email) })
        }
    }

    @Test func existingTokensKeepVerifyingAtTheirProjectsGateAndNowhereElse() async throws {
        let fixture = try Self.migratedFixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        let path = try await TestHotPath(database: fixture.database, startingAt: Self.fixtureTime)
        let bob = try #require(try await fixture.database.account(email: EmailAddress(unchecked: "bob@example.com"))?.id)
        let bobsProject = try #require(
            try await fixture.database.selection(accountId: bob, workspace: nil, project: nil)?.project)

        func verify(_ name: String, at project: ProjectID) async throws -> VerificationCode {
            let token = try #require(fixture.tokens[name]?.token, "no token for \(name)")
            return try await path.verifier.verify(try APIKeyToken(token), project: project).code
        }
        for name in ["ann-orders", "ann-wildcard", "ann-rotated", "ann-rotated-2"] {
            #expect(try await verify(name, at: path.project.id) == .valid, "\(name)")
            #expect(try await verify(name, at: bobsProject.id) == .notFound, "\(name) at bob's gate")
        }
        #expect(try await verify("ann-disabled", at: path.project.id) == .disabled)
        #expect(try await verify("bob-orders", at: bobsProject.id) == .valid)
        #expect(try await verify("bob-orders", at: path.project.id) == .notFound)
        let custom = try APIKeyToken(
            keyID: try KeyID(try #require(fixture.tokens["ann-custom"]).id), customSecret: "my-own-custom-secret-0123456789")
        #expect(try await path.verifier.verify(custom, project: path.project.id).code == .valid)
        let usage = try await fixture.database.keyUsage(
            id: try #require(fixture.tokens["ann-orders"]).id, days: 2, now: Self.fixtureTime)
        #expect(usage.map(\.count).reduce(0, +) == 1)
    }

    @Test func keysThatManagedKeysBecomeAdminKeysWithTheSameIdAndSecret() async throws {
        let fixture = try Self.migratedFixture()
        defer { try? FileManager.default.removeItem(at: fixture.folder) }
        let path = try await TestHotPath(database: fixture.database, startingAt: Self.fixtureTime)

        let admins = try await fixture.database.adminKeys(in: path.project.workspaceId)
        #expect(Set(admins.map(\.name)) == ["deploy bot", "reader"])
        let deploy = try #require(admins.first { $0.name == "deploy bot" })
        #expect(deploy.id.value == fixture.tokens["ann-admin"]?.id)
        #expect(deploy.grant.permissions == [.keysRead, .keysWrite])
        #expect(deploy.grant.projects == [path.project.id])
        #expect(deploy.grant.ipAllowlist.entries == ["127.0.0.1"])
        #expect(deploy.grant.expiresAt != nil)
        #expect(admins.first { $0.name == "reader" }?.grant.permissions == [.keysRead])

        let token = try APIKeyToken(try #require(fixture.tokens["ann-admin"]?.token))
        let authenticated = try await path.hotPath.adminKeys.authenticate(AdminKeyToken(migrated: token), clientIP: "127.0.0.1")
        #expect(authenticated.id == deploy.id)
        // No longer a project key: its gate does not know it.
        #expect(try await path.verifier.verify(token, project: path.project.id).code == .notFound)
        await #expect(throws: AdminKeyAuthenticator.Refusal.self) {
            try await path.hotPath.adminKeys.authenticate(AdminKeyToken(migrated: token), clientIP: "192.0.2.1")
        }
    }
}
