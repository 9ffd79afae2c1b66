import Foundation
import KeysmithCore
import KeysmithStore
import PostgresNIO

extension PostgresStore: SessionStore {
    public func signIn(_ session: SessionRecord, policy: SessionPolicy, origin: RequestOrigin, now: Date) async throws {
        try await write { c in
            let account = try await existingAccount(c, id: session.accountId)
            try await deleteExpiredSessions(c, policy: policy, now: now)
            try await insertSession(c, session)
            try await audit(c, account: account, AuditEvent(.loginSucceeded), origin: origin, now: now)
        }
    }

    public func signedInSession(id: String) async throws -> SignedInSession? {
        try await read { c in
            guard
                let session = try await c.query(
                    "SELECT \(unescaped: SessionRecord.columns) FROM session WHERE id = \(id)", logger: logger
                ).first(SessionRecord.init(row:)),
                let account = try await c.query(
                    "SELECT \(unescaped: AccountRecord.columns) FROM account WHERE id = \(session.accountId)", logger: logger
                ).first(AccountRecord.init(row:))
            else { return nil }
            return SignedInSession(session: session, account: account)
        }
    }

    public func touchSession(id: String, now: Date) async throws {
        try await write { c in
            try await c.query("UPDATE session SET last_seen_at = \(now) WHERE id = \(id)", logger: logger)
        }
    }

    public func deleteSession(id: String) async throws {
        try await write { c in try await c.query("DELETE FROM session WHERE id = \(id)", logger: logger) }
    }

    public func signOut(sessionId: String, accountId: Int64, origin: RequestOrigin, now: Date) async throws {
        try await write { c in
            let ended = try await c.query("DELETE FROM session WHERE id = \(sessionId) RETURNING id", logger: logger)
                .collect { _ in () }.count
            guard ended > 0 else { return }
            let account = try await existingAccount(c, id: accountId)
            try await audit(c, account: account, AuditEvent(.logout), origin: origin, now: now)
        }
    }

    public func signOutOtherSessions(accountId: Int64, keeping sessionId: String, origin: RequestOrigin, now: Date)
        async throws -> Int
    {
        try await write { c in
            let account = try await existingAccount(c, id: accountId)
            let count = try await c.query(
                "DELETE FROM session WHERE account_id = \(accountId) AND id <> \(sessionId) RETURNING id", logger: logger
            ).collect { _ in () }.count
            if count > 0 {
                let detail = count == 1 ? "1 session" : "\(count) sessions"
                try await audit(c, account: account, AuditEvent(.sessionsRevoked, detail: detail), origin: origin, now: now)
            }
            return count
        }
    }

    public func sessions(accountId: Int64, policy: SessionPolicy, now: Date) async throws -> [SessionRecord] {
        let idleSince = now.addingTimeInterval(-policy.idleTimeout)
        return try await read { c in
            try await c.query(
                """
                SELECT \(unescaped: SessionRecord.columns) FROM session
                WHERE account_id = \(accountId) AND expires_at > \(now) AND last_seen_at > \(idleSince)
                ORDER BY last_seen_at DESC
                """, logger: logger
            ).collect(SessionRecord.init(row:))
        }
    }

    public func selectWorkspace(sessionId: String, workspace: WorkspaceID, project: ProjectID?) async throws {
        try await write { c in
            try await c.query(
                "UPDATE session SET workspace_id = \(workspace.value), project_id = \(project?.value) WHERE id = \(sessionId)",
                logger: logger)
        }
    }

    func insertSession(_ c: PostgresConnection, _ session: SessionRecord) async throws {
        try await c.query(
            """
            INSERT INTO session (\(unescaped: SessionRecord.columns)) VALUES (
                \(session.id), \(session.accountId), \(session.csrfToken), \(session.createdAt), \(session.lastSeenAt),
                \(session.expiresAt), \(session.ip), \(session.userAgent), \(session.workspaceId?.value),
                \(session.projectId?.value))
            """, logger: logger)
    }

    private func deleteExpiredSessions(_ c: PostgresConnection, policy: SessionPolicy, now: Date) async throws {
        let idleSince = now.addingTimeInterval(-policy.idleTimeout)
        try await c.query(
            "DELETE FROM session WHERE expires_at <= \(now) OR last_seen_at <= \(idleSince)", logger: logger)
    }
}
