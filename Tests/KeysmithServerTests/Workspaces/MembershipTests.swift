import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import Testing

@testable import KeysmithServer

/// Sign-up modes, invitations by one-time link, and what leaving a workspace does (DESIGN §11).
@Suite struct MembershipTests {
    @Test func inInviteModeOnlyTheFirstPersonSignsUpFreely() async throws {
        let app = try await TestApp { $0.signupMode = .invite }
        try await app.run { browser in
            try await browser.signUp()  // the first user of an empty instance
            var stranger = Browser(browser.client)

            let page = try await stranger.get("/signup")
            let refused = try await stranger.post("/signup", ["email": "bob@example.com", "password": "another good password"])

            #expect(page.text.contains("Sign-up on this Keysmith is by invitation"))
            #expect(!page.text.contains(#"action="/signup""#))
            #expect(refused.status == .forbidden)
            #expect(try await app.database.account(email: EmailAddress(unchecked: "bob@example.com")) == nil)
        }
    }

    @Test func anInvitationLinkLetsTheInvitedEmailSignUpIntoTheWorkspaceOnce() async throws {
        let app = try await TestApp { $0.signupMode = .invite }
        try await app.run { owner in
            try await owner.signUp()
            let created = try await owner.post("/invites", ["email": "bob@example.com", "role": "developer"])
            let shown = try #require(created.headers[.location])
            let invited = try await owner.get(shown)
            let link = try #require(invited.text.firstMatch(of: #/value="http://[^"]*/invites/([A-Za-z0-9_-]+)"/#)?.1)
            #expect(created.status == .seeOther)
            #expect(invited.headers[.cacheControl] == "no-store")
            #expect(!(try await owner.get(shown)).text.contains(String(link)), "the link is shown once: a reload shows nothing")
            #expect(try await app.database.invites(of: try await defaultProject(app).workspaceId, now: app.clock.now).count == 1)

            var bob = Browser(owner.client)
            let invitation = try await bob.get("/invites/\(link)")
            #expect(invitation.text.contains("as <strong>developer</strong>"))
            let form = try await bob.get("/signup?invite=\(link)")
            #expect(form.text.contains(#"value="bob@example.com""#))
            let wrongEmail = try await bob.post(
                "/signup", ["email": "eve@example.com", "password": "another good password", "invite": String(link)])
            #expect(wrongEmail.status == .unprocessableContent)
            let joined = try await bob.post(
                "/signup", ["email": "bob@example.com", "password": "another good password", "invite": String(link)])
            #expect(joined.status == .seeOther)
            let landing = try await bob.get("/keys")
            #expect(landing.text.contains("You joined ann&#39;s workspace as developer."))
            #expect(landing.text.contains(#"<option value="\#(try await defaultProject(app).workspaceId)" selected>"#))

            let ann = try await AccountState.accountId(app)
            let bobID = try await AccountState.accountId(app, email: "bob@example.com")
            let workspace = try await defaultProject(app).workspaceId
            #expect(try await app.database.role(of: bobID, in: workspace) == .developer)
            #expect(try await app.database.memberships(accountId: bobID).count == 2, "his own workspace and ann's")
            var carol = Browser(owner.client)
            #expect(try await carol.get("/invites/\(link)").status == .notFound, "used up")
            let audit = try await app.database.auditEntries(workspaceID: workspace, page: 1).items
            #expect(audit.contains { $0.auditAction == .memberJoined && $0.detail == "bob@example.com as developer" })
            #expect(audit.contains { $0.auditAction == .memberInvited && $0.actor == .user(id: ann, email: "ann@example.com") })
        }
    }

    @Test func aSignedInUserAcceptsThroughTheAPIOnlyAnInvitationForTheirEmail() async throws {
        let app = try await TestApp()
        try await app.run { owner in
            try await owner.signUp()
            var bob = Browser(owner.client)
            try await bob.signUp(email: "bob@example.com")
            var eve = Browser(owner.client)
            try await eve.signUp(email: "eve@example.com")
            let created = try await APIClient(session: owner).post(
                "/api/v1/invites", ["email": "bob@example.com", "role": "viewer"])
            let url = try #require(try created.json["url"]?.string)
            let token = String(try #require(url.split(separator: "/").last))

            let stolen = try await APIClient(session: eve).post("/api/v1/invites/accept", ["token": token])
            let accepted = try await APIClient(session: bob).post("/api/v1/invites/accept", ["token": token])
            let again = try await APIClient(session: bob).post("/api/v1/invites/accept", ["token": token])

            try expectProblem(stolen, .forbidden, "FORBIDDEN")
            #expect(accepted.status == .ok)
            #expect(try accepted.json["role"] == .string("viewer"))
            try expectProblem(again, .notFound, "NOT_FOUND")
        }
    }

    /// DESIGN §11: a personal key is bound to its member; when they leave it is disabled, a service key stays.
    @Test func whenAMemberLeavesTheirPersonalKeysAreDisabledAndServiceKeysStay() async throws {
        try await TeamFixture.withTeam { app, browsers, team in
            var carol = APIClient(session: browsers[1])  // the developer
            carol.headers[HTTPField.Name("x-workspace-id")!] = team.workspace.value
            carol.headers[HTTPField.Name("x-project-id")!] = team.project.value
            let personal = try await carol.createKey(["name": "carol's laptop", "ownerType": "personal"])
            let service = try await carol.createKey(["name": "billing service", "ownerType": "service"])
            let personalToken = try #require(personal.token)
            #expect(try await carol.verify(token: personalToken)["code"] == .string("VALID"))
            var owner = APIClient(session: browsers[3])
            owner.headers[HTTPField.Name("x-workspace-id")!] = team.workspace.value
            let carolID = try await AccountState.accountId(app, email: "carol@example.com")

            let removed = try await owner.delete("/api/v1/members/\(carolID)")

            #expect(removed.status == .ok)
            #expect(try await carol.verify(token: personalToken)["code"] == .string("DISABLED"), "at once, through the cache")
            #expect(try await carol.verify(token: try #require(service.token))["code"] == .string("VALID"))
            let entries = try await app.database.auditEntries(workspaceID: team.workspace, subject: personal.id)
            #expect(entries.first?.auditAction == .keyDisabled)
            #expect(entries.first?.detail?.contains("carol@example.com, who left") == true)
            try expectProblem(try await carol.get("/api/v1/keys"), .notFound, "NOT_FOUND")
        }
    }

    @Test func aWorkspaceKeepsAnOwnerAndOnlyOwnersTouchOwners() async throws {
        try await TeamFixture.withTeam { app, browsers, team in
            var bob = APIClient(session: browsers[2])  // admin
            bob.headers[HTTPField.Name("x-workspace-id")!] = team.workspace.value
            var ann = APIClient(session: browsers[3])  // owner
            ann.headers[HTTPField.Name("x-workspace-id")!] = team.workspace.value
            let annID = try await AccountState.accountId(app)
            let bobID = try await AccountState.accountId(app, email: "bob@example.com")

            try expectProblem(try await bob.patch("/api/v1/members/\(annID)", ["role": "viewer"]), .forbidden, "FORBIDDEN")
            try expectProblem(try await bob.patch("/api/v1/members/\(bobID)", ["role": "owner"]), .forbidden, "FORBIDDEN")
            try expectProblem(try await bob.delete("/api/v1/members/\(annID)"), .forbidden, "FORBIDDEN")
            try expectProblem(try await ann.patch("/api/v1/members/\(annID)", ["role": "admin"]), .conflict, "CONFLICT")
            #expect(try await ann.patch("/api/v1/members/\(bobID)", ["role": "owner"]).status == .ok)
            #expect(try await ann.patch("/api/v1/members/\(annID)", ["role": "admin"]).status == .ok, "bob owns it now")
            #expect(try await app.database.role(of: annID, in: team.workspace) == .admin)
        }
    }

    @Test func theSoleOwnerOfASharedWorkspaceCannotDeleteTheirAccountUntilTheyHandItOver() async throws {
        try await TeamFixture.withTeam { app, browsers, team in
            var owner = browsers[3]
            _ = try await owner.get("/account")

            let refused = try await owner.post("/account/delete", ["password": "correct horse battery"])

            #expect(refused.status == .conflict)
            #expect(refused.text.contains("You are the only owner of “Team”"))
            #expect(try await app.database.account(email: EmailAddress(unchecked: "ann@example.com")) != nil)
            #expect(try await app.database.workspace(id: team.workspace) != nil)
        }
    }
}
