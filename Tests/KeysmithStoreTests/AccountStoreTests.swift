import Foundation
import KeysmithCore
import KeysmithStore
import KeysmithTestStores
import Testing

private let now = Date(timeIntervalSince1970: 1_800_000_000)
private let origin = RequestOrigin(ip: "192.0.2.1", userAgent: "tests")

@Test func concurrentSignUpsWithOneEmailCreateExactlyOneAccount() async throws {
    let store = try await KeyStore()
    let email = try EmailAddress.parse("race@example.com").get()

    let outcomes = await withTaskGroup(of: Bool.self) { group in
        for _ in 0..<20 {
            group.addTask {
                do {
                    _ = try await store.database.createAccount(
                        email: email, passwordHash: "$argon2id$x", origin: origin, now: now)
                    return true
                } catch {
                    return false
                }
            }
        }
        return await group.reduce(into: [Bool]()) { $0.append($1) }
    }

    #expect(outcomes.filter { $0 }.count == 1)
    #expect(try await TestStore.rowCount(of: .account, in: store.database) == 1)
}

@Test func takenEmailIsADomainError() async throws {
    let store = try await KeyStore()
    let email = try EmailAddress.parse("ann@example.com").get()
    _ = try await store.database.createAccount(email: email, passwordHash: "h", origin: origin, now: now)

    await #expect(throws: AccountError.emailTaken) {
        try await store.database.createAccount(email: email, passwordHash: "h", origin: origin, now: now)
    }
}

@Test func deletingAnAccountEndsItsSessionsButKeepsItsAuditTrail() async throws {
    let store = try await KeyStore()
    let account = try await store.database.createAccount(
        email: try EmailAddress.parse("ann@example.com").get(), passwordHash: "h", origin: origin, now: now
    )
    let accountId = try #require(account.id)
    let session = SessionRecord(
        id: "hash", accountId: accountId, csrfToken: "t", createdAt: now, expiresAt: now.addingTimeInterval(60), ip: nil,
        userAgent: nil
    )
    try await store.database.signIn(session, policy: .standard, origin: origin, now: now)

    try await store.database.deleteAccount(id: accountId, origin: origin, now: now)

    #expect(try await store.database.signedInSession(id: "hash") == nil)
    let entries = try await store.database.auditEntries(accountId: accountId, limit: 10).map(\.auditAction)
    #expect(entries == [.accountDeleted, .loginSucceeded, .accountCreated])
}

@Test func changingThePasswordEndsEverySessionButTheReplacement() async throws {
    let store = try await KeyStore()
    let account = try await store.database.createAccount(
        email: try EmailAddress.parse("ann@example.com").get(), passwordHash: "old", origin: origin, now: now
    )
    let accountId = try #require(account.id)
    for id in ["a", "b"] {
        let session = SessionRecord(
            id: id, accountId: accountId, csrfToken: "t", createdAt: now, expiresAt: now.addingTimeInterval(600), ip: nil,
            userAgent: nil
        )
        try await store.database.signIn(session, policy: .standard, origin: origin, now: now)
    }
    let replacement = SessionRecord(
        id: "c", accountId: accountId, csrfToken: "t", createdAt: now, expiresAt: now.addingTimeInterval(600), ip: nil,
        userAgent: nil
    )

    try await store.database.changePassword(
        accountId: accountId, passwordHash: "new", replacement: replacement, origin: origin, now: now)

    let remaining = try await store.database.sessions(accountId: accountId, policy: .standard, now: now).map(\.id)
    #expect(remaining == ["c"])
    #expect(try await store.database.account(id: accountId)?.passwordHash == "new")
}

@Test func auditLogPagesNewestFirst() async throws {
    let store = try await KeyStore()
    let account = try await store.database.createAccount(
        email: try EmailAddress.parse("ann@example.com").get(), passwordHash: "h", origin: origin, now: now
    )
    let accountId = try #require(account.id)
    let workspace = try #require(try await store.database.memberships(accountId: accountId).first?.workspace.id)
    // Sign-up wrote two workspace entries: the workspace and its Default project.
    for index in 1...73 {
        let spec = try ProjectSpec.validate(name: "#\(index)", keyPrefix: nil, description: nil)
        _ = try await store.database.createProject(in: workspace, spec, origin: origin, now: now)
    }

    let first = try await store.database.auditEntries(workspaceID: workspace, page: 1, pageSize: 50)
    let second = try await store.database.auditEntries(workspaceID: workspace, page: 2, pageSize: 50)

    #expect(first.totalCount == 75)
    #expect(first.pageCount == 2)
    #expect(first.items.first?.detail == "#73")
    #expect(second.items.count == 25)
    #expect(second.items.last?.auditAction == .workspaceCreated)
    #expect(try await store.database.auditEntries(workspaceID: .generate(), page: 1).totalCount == 0)
}
