import Foundation
import KeysmithCore
import Testing

/// DESIGN §11's rules that need no I/O: the role table, the subset rule of admin keys, ids and tokens.
@Suite struct WorkspaceRulesTests {
    @Test(arguments: Role.allCases)
    func eachRoleAllowsWhatTheTableSaysAndEverythingARoleBelowItMay(role: Role) {
        let expected: [Role: Set<WorkspaceAction>] = [
            .viewer: [.view],
            .developer: [.view, .writeKeys],
            .admin: [.view, .writeKeys, .manageProjects, .manageAdminKeys, .manageMembers],
            .owner: Set(WorkspaceAction.allCases),
        ]
        #expect(Set(WorkspaceAction.allCases.filter(role.allows)) == expected[role])
        for lower in Role.allCases where lower < role {
            #expect(WorkspaceAction.allCases.filter(lower.allows).allSatisfy(role.allows), "\(role) may do what \(lower) may")
        }
    }

    @Test func membershipChangesAreRefusedWithTheWordsBothStoresShow() throws {
        #expect(throws: WorkspaceError.forbidden("Only an owner can remove an owner.")) {
            try WorkspaceRules.checkRemoval(of: .owner, by: .admin)
        }
        try WorkspaceRules.checkRemoval(of: .owner, by: nil)  // an owner may leave, if another owner remains
        #expect(WorkspaceRules.takesAnOwnerAway(from: .owner, becoming: nil))
        #expect(WorkspaceRules.takesAnOwnerAway(from: .owner, becoming: .admin))
        #expect(!WorkspaceRules.takesAnOwnerAway(from: .admin, becoming: nil))
        #expect(throws: WorkspaceError.self) { try WorkspaceRules.checkAnOwnerRemains(otherOwners: 0) }
        try WorkspaceRules.checkAnOwnerRemains(otherOwners: 1)
        #expect(throws: WorkspaceError.self) { try WorkspaceRules.checkAnotherWorkspaceRemains(memberships: 1) }
        #expect(
            throws: WorkspaceError.conflict(
                "This is the only workspace of 2 members; it cannot be deleted while they have no other.")
        ) {
            try WorkspaceRules.checkDeletion(strandedMembers: 2)
        }
        #expect(throws: WorkspaceError.invalid(["email": "bo@example.com is already a member."])) {
            try WorkspaceRules.checkInvite(of: "bo@example.com", isMember: true, pendingInvites: 1)
        }
        #expect(throws: WorkspaceError.self) {
            try WorkspaceRules.checkInvite(of: "bo@example.com", isMember: false, pendingInvites: 1)
        }
        try WorkspaceRules.checkInvite(of: "bo@example.com", isMember: false, pendingInvites: 0)
        #expect(throws: WorkspaceError.self) { try WorkspaceRules.checkAcceptance(of: "bo@example.com", by: "al@example.com") }
        #expect(throws: WorkspaceError.self) { try WorkspaceRules.checkProjectDeletion(projects: 1) }
        try WorkspaceRules.checkProjectDeletion(projects: 2)
    }

    @Test func onlyOwnersTouchOwnersAndOnlyManagersChangeAnyone() {
        #expect(Role.admin.mayChange(.developer, to: .viewer))
        #expect(Role.admin.mayChange(.viewer, to: nil))
        #expect(!Role.admin.mayChange(.owner, to: .admin))
        #expect(!Role.admin.mayChange(.developer, to: .owner))
        #expect(!Role.admin.mayChange(.owner, to: nil))
        #expect(Role.owner.mayChange(.owner, to: .admin))
        #expect(!Role.developer.mayChange(.viewer, to: .developer))
    }

    static let projectA = ProjectID(unchecked: "prj_AAAAAAAAAAAAAAAA")
    static let projectB = ProjectID(unchecked: "prj_BBBBBBBBBBBBBBBB")
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func grant(
        _ permissions: Set<AdminPermission>, projects: Set<ProjectID>? = nil, expiresIn: TimeInterval? = nil,
        ips: [String] = []
    ) throws -> AdminKeyGrant {
        AdminKeyGrant(
            permissions: permissions, projects: projects, expiresAt: expiresIn.map { now.addingTimeInterval($0) },
            ipAllowlist: try IPAllowlist.parse(ips).get())
    }

    @Test func aGrantWithinItsGrantorHasNoExcess() throws {
        let grantor = try Self.grant(
            [.keysRead, .keysWrite], projects: [Self.projectA, Self.projectB], expiresIn: 3600, ips: ["10.0.0.0/8"])
        let child = try Self.grant([.keysRead], projects: [Self.projectA], expiresIn: 600, ips: ["10.1.0.0/16", "10.2.3.4"])

        #expect(grantor.excess(of: child).isEmpty)
        #expect(grantor.excess(of: grantor).isEmpty)
    }

    @Test func everyWayOfWideningIsNamedByItsField() throws {
        let grantor = try Self.grant([.keysRead], projects: [Self.projectA], expiresIn: 3600, ips: ["10.0.0.0/8"])
        let widenings: [(AdminKeyGrant, String)] = [
            (
                try Self.grant([.keysRead, .auditRead], projects: [Self.projectA], expiresIn: 60, ips: ["10.0.0.1"]),
                "permissions"
            ),
            (
                try Self.grant([.keysRead], projects: [Self.projectA, Self.projectB], expiresIn: 60, ips: ["10.0.0.1"]),
                "projects"
            ),
            (try Self.grant([.keysRead], projects: nil, expiresIn: 60, ips: ["10.0.0.1"]), "projects"),
            (try Self.grant([.keysRead], projects: [Self.projectA], expiresIn: 7200, ips: ["10.0.0.1"]), "expiresAt"),
            (try Self.grant([.keysRead], projects: [Self.projectA], expiresIn: nil, ips: ["10.0.0.1"]), "expiresAt"),
            (try Self.grant([.keysRead], projects: [Self.projectA], expiresIn: 60, ips: ["0.0.0.0/0"]), "ipAllowlist"),
            (try Self.grant([.keysRead], projects: [Self.projectA], expiresIn: 60, ips: []), "ipAllowlist"),
            (try Self.grant([.keysRead], projects: [Self.projectA], expiresIn: 60, ips: ["::/0"]), "ipAllowlist"),
        ]
        for (wider, field) in widenings {
            #expect(Set(grantor.excess(of: wider).keys) == [field], "\(field)")
        }
    }

    @Test func anUnrestrictedGrantorMayGrantAnything() throws {
        let grantor = try Self.grant(Set(AdminPermission.allCases))
        #expect(grantor.excess(of: try Self.grant([.membersRead], projects: [Self.projectB], ips: ["192.0.2.0/24"])).isEmpty)
    }

    @Test func ipv4InsideAMappedIPv6RangeCountsAsNarrower() throws {
        let outer = try IPRange.parse("::ffff:10.0.0.0/104").get()
        #expect(outer.covers(try IPRange.parse("10.1.2.0/24").get()))
        #expect(!outer.covers(try IPRange.parse("10.0.0.0/7").get()))
        #expect(!(try IPRange.parse("10.0.0.0/8").get()).covers(try IPRange.parse("2001:db8::/32").get()))
    }

    @Test func adminTokensRoundTripAndABadChecksumOrShapeIsRefused() throws {
        let token = AdminKeyToken.generate()
        #expect(token.value.hasPrefix("ksa_"))
        #expect(try AdminKeyToken(token.value) == token)
        #expect(AdminKeyToken.looksLikeAdminToken(token.value))
        #expect(!token.description.contains(token.secret))
        var corrupted = Array(token.value)
        corrupted[corrupted.count - 8] = corrupted[corrupted.count - 8] == "A" ? "B" : "A"
        #expect(throws: TokenError.badChecksum) { try AdminKeyToken(String(corrupted)) }
        #expect(throws: TokenError.malformed) { try AdminKeyToken("ksa_live_" + token.secret) }
        // A project key whose prefix is "ksa" is still a project key.
        #expect(!AdminKeyToken.looksLikeAdminToken("ksa_live_AAAAAAAAAAAAAAAA_" + token.secret))
    }

    @Test func publicIDsHaveTheirPrefixAndSixteenBase62Digits() {
        #expect(WorkspaceID("ws_0123456789abcdef") != nil)
        #expect(ProjectID("prj_0123456789ABCDEF") != nil)
        #expect(ProjectID("prj_0123456789abcde") == nil)
        #expect(ProjectID("ws_0123456789abcdef") == nil)
        #expect(ProjectID("prj_0123456789abcde_") == nil)
        #expect(ProjectID.generate().value.count == 20)
    }

    @Test func projectSpecsNameEveryProblem() {
        #expect(
            throws: WorkspaceError.invalid([
                "name": "Enter a project name.", "keyPrefix": "Use 2 to 8 lowercase letters (a–z), for example “ks” or “acme”.",
                "description": "Use at most 500 characters.",
            ])
        ) {
            try ProjectSpec.validate(name: " ", keyPrefix: "K1", description: String(repeating: "x", count: 501))
        }
        #expect((try? ProjectSpec.validate(name: "Billing", keyPrefix: nil, description: nil))?.keyPrefix == .default)
        #expect(WorkspaceName.personal(email: "ann@example.com") == "ann's workspace")
    }

    @Test func adminKeyDraftsRefuseUnknownPermissionsAndProjects() {
        let draft = AdminKeyDraft(
            name: "ci", permissions: ["keys:read", "keys:delete"], projects: ["prj_ZZZZZZZZZZZZZZZZ"], expiry: "0s",
            ipAllowlist: ["not an ip"])
        #expect(throws: WorkspaceError.self) { try draft.validate(now: Self.now, known: [Self.projectA]) }
        do {
            _ = try draft.validate(now: Self.now, known: [Self.projectA])
        } catch {
            #expect(Set(error.fields.keys) == ["permissions", "projects", "expiresAt", "ipAllowlist"])
        }
    }
}

extension WorkspaceError {
    fileprivate var fields: [String: String] {
        if case .invalid(let fields) = self { fields } else { [:] }
    }
}
