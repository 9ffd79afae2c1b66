import Foundation
import GRDB
import KeysmithCore
import KeysmithStore

extension SQLiteStore {
    /// Records a successful sign-in: the new session and its audit entry, together. Also sweeps expired sessions.
    public func signIn(_ session: SessionRecord, policy: SessionPolicy, origin: RequestOrigin, now: Date) async throws {
        try await writer.write { db in
            let account = try Self.existingAccount(db, id: session.accountId)
            try Self.deleteExpiredSessions(db, policy: policy, now: now)
            try session.insert(db)
            try Self.audit(db, account: account, AuditEvent(.loginSucceeded), origin: origin, now: now)
        }
    }

    public func signedInSession(id: String) async throws -> SignedInSession? {
        try await writer.read { db in
            try SessionRecord.filter(key: id).including(required: SessionRecord.account)
                .asRequest(of: SignedInSession.self).fetchOne(db)
        }
    }

    public func touchSession(id: String, now: Date) async throws {
        _ = try await writer.write { db in
            try SessionRecord.filter(key: id).updateAll(db, SessionRecord.Columns.lastSeenAt.set(to: now))
        }
    }

    /// Ends a session without an audit entry: for sessions found expired.
    public func deleteSession(id: String) async throws {
        _ = try await writer.write { db in try SessionRecord.deleteOne(db, key: id) }
    }

    public func signOut(sessionId: String, accountId: Int64, origin: RequestOrigin, now: Date) async throws {
        try await writer.write { db in
            guard try SessionRecord.deleteOne(db, key: sessionId) else { return }
            let account = try Self.existingAccount(db, id: accountId)
            try Self.audit(db, account: account, AuditEvent(.logout), origin: origin, now: now)
        }
    }

    /// Ends every session of the account but `keeping`; returns how many ended.
    @discardableResult
    public func signOutOtherSessions(accountId: Int64, keeping sessionId: String, origin: RequestOrigin, now: Date)
        async throws -> Int
    {
        try await writer.write { db in
            let account = try Self.existingAccount(db, id: accountId)
            let count =
                try SessionRecord
                .filter(SessionRecord.Columns.accountId == accountId && Column("id") != sessionId)
                .deleteAll(db)
            if count > 0 {
                let detail = count == 1 ? "1 session" : "\(count) sessions"
                try Self.audit(db, account: account, AuditEvent(.sessionsRevoked, detail: detail), origin: origin, now: now)
            }
            return count
        }
    }

    /// The account's live sessions, most recently used first.
    public func sessions(accountId: Int64, policy: SessionPolicy, now: Date) async throws -> [SessionRecord] {
        try await writer.read { db in
            try SessionRecord
                .filter(SessionRecord.Columns.accountId == accountId)
                .filter(SessionRecord.Columns.expiresAt > now)
                .filter(SessionRecord.Columns.lastSeenAt > now.addingTimeInterval(-policy.idleTimeout))
                .order(SessionRecord.Columns.lastSeenAt.desc)
                .fetchAll(db)
        }
    }

    static func deleteExpiredSessions(_ db: Database, policy: SessionPolicy, now: Date) throws {
        try SessionRecord
            .filter(
                SessionRecord.Columns.expiresAt <= now
                    || SessionRecord.Columns.lastSeenAt <= now.addingTimeInterval(-policy.idleTimeout)
            )
            .deleteAll(db)
    }
}

extension SQLiteStore {
    /// Remembers the console's current workspace and project for the session (checked on every request against the
    /// membership, so a stale choice falls back rather than grants anything).
    public func selectWorkspace(sessionId: String, workspace: WorkspaceID, project: ProjectID?) async throws {
        _ = try await writer.write { db in
            try SessionRecord.filter(key: sessionId).updateAll(
                db, Column("workspaceId").set(to: workspace.value), Column("projectId").set(to: project?.value))
        }
    }
}
