import Foundation
import GRDB
import KeysmithCore
import KeysmithStore

/// DESIGN §11's migration: "an account owns keys" becomes users, workspaces, members and projects.
///
/// Every account becomes a user who owns a personal workspace with one "Default" project (the account's key prefix)
/// holding its keys, so every token keeps verifying. An active key that held `keys:read` or `keys:write` was a
/// management credential: it becomes an admin key of that workspace for the Default project, same id and secret.
/// Audit entries gain the workspace and name their actor (the account). GRDB runs this with foreign keys off and
/// checks them all once it is done.
enum WorkspacesMigration {
    static func migrate(_ db: Database) throws {
        try createTables(db)
        try createPersonalWorkspaces(db)
        try rebuildKeyTable(db)
        try convertManagementKeys(db)
        try extendAudit(db)
        try db.alter(table: "session") { t in
            // The console's current workspace and project; checked against the membership on every request.
            t.add(column: "workspaceId", .text)
            t.add(column: "projectId", .text)
        }
        try db.alter(table: "account") { t in t.drop(column: "keyPrefix") }  // each project has its own now
    }

    private static func createTables(_ db: Database) throws {
        try db.create(table: "workspace") { t in
            t.primaryKey("id", .text)
            t.column("name", .text).notNull()
            // The user whose personal workspace this is: where their session starts.
            t.column("personalAccountId", .integer).unique().references("account", onDelete: .setNull)
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
        }
        try db.create(table: "member") { t in
            t.belongsTo("workspace", onDelete: .cascade).notNull()
            t.belongsTo("account", onDelete: .cascade).notNull()
            t.column("role", .text).notNull()
            t.column("joinedAt", .datetime).notNull()
            t.primaryKey(["workspaceId", "accountId"])
        }
        try db.create(table: "project") { t in
            t.primaryKey("id", .text)
            t.belongsTo("workspace", onDelete: .cascade).notNull()
            t.column("name", .text).notNull()
            t.column("keyPrefix", .text).notNull()
            t.column("description", .text).notNull().defaults(to: "")
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
            t.uniqueKey(["workspaceId", "name"])
        }
        try db.create(table: "invite") { t in
            t.primaryKey("id", .text)
            t.belongsTo("workspace", onDelete: .cascade).notNull()
            t.column("email", .text).notNull()
            t.column("role", .text).notNull()
            t.column("tokenHash", .text).notNull().unique()  // SHA-256 of the link's token; the token is never stored
            t.column("invitedBy", .text).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("expiresAt", .datetime).notNull()
        }
        try db.create(table: "adminKey") { t in
            t.primaryKey("id", .text)
            t.belongsTo("workspace", onDelete: .cascade).notNull()
            t.column("name", .text).notNull()
            t.column("permissions", .text).notNull()
            t.column("projects", .text)  // JSON array of project ids; NULL = every project
            t.column("expiresAt", .datetime)
            t.column("ipAllowlist", .text).notNull()
            t.column("secretHash", .text).notNull()
            t.column("hint", .text).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
            t.column("lastUsedAt", .datetime)
            t.column("lastUsedIp", .text)
            t.uniqueKey(["workspaceId", "name"])
        }
    }

    /// One workspace, membership and Default project per account.
    private static func createPersonalWorkspaces(_ db: Database) throws {
        for row in try Row.fetchAll(db, sql: "SELECT id, email, keyPrefix, createdAt FROM account") {
            let accountId: Int64 = row["id"]
            let createdAt: Date = row["createdAt"]
            let workspace = WorkspaceID.generate().value
            let project = ProjectID.generate().value
            try db.execute(
                sql: "INSERT INTO workspace (id, name, personalAccountId, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?)",
                arguments: [workspace, WorkspaceName.personal(email: row["email"]), accountId, createdAt, createdAt])
            try db.execute(
                sql: "INSERT INTO member (workspaceId, accountId, role, joinedAt) VALUES (?, ?, 'owner', ?)",
                arguments: [workspace, accountId, createdAt])
            try db.execute(
                sql:
                    "INSERT INTO project (id, workspaceId, name, keyPrefix, createdAt, updatedAt) VALUES (?, ?, 'Default', ?, ?, ?)",
                arguments: [project, workspace, row["keyPrefix"] as String, createdAt, createdAt])
        }
    }

    /// SQLite cannot drop a foreign key, so the key table is rebuilt: keys belong to a project (and its workspace)
    /// instead of an account, and remember who created them. The search index and its triggers follow the table.
    private static func rebuildKeyTable(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP TRIGGER apiKeySearch_afterInsert;
                DROP TRIGGER apiKeySearch_afterDelete;
                DROP TRIGGER apiKeySearch_afterUpdate;
                DROP TABLE apiKeySearch;
                """)
        try db.create(table: "newApiKey") { t in
            t.primaryKey("id", .text)
            t.belongsTo("project", onDelete: .cascade).notNull()
            t.belongsTo("workspace", onDelete: .cascade).notNull()
            t.column("creatorId", .integer).references("account", onDelete: .setNull)
            t.column("name", .text).notNull()
            t.column("description", .text).notNull().defaults(to: "")
            t.column("environment", .text).notNull()
            t.column("ownerType", .text).notNull()
            t.column("scopes", .text).notNull()
            t.column("tokenType", .text).notNull()
            t.column("status", .text).notNull()
            t.column("secretHash", .text)
            t.column("hint", .text)
            t.column("retiredSecrets", .text).notNull().defaults(to: "[]")
            t.column("expiresAt", .datetime)
            t.column("ipAllowlist", .text).notNull()
            t.column("rateLimit", .text)
            t.column("quota", .text)
            t.column("quotaRemaining", .integer)
            t.column("quotaRefilledAt", .datetime)
            t.column("responseHeaders", .text).notNull()
            t.column("meta", .text).notNull()
            t.column("createdAt", .datetime).notNull()
            t.column("updatedAt", .datetime).notNull()
            t.column("activatedAt", .datetime)
            t.column("lastUsedAt", .datetime)
            t.column("lastUsedIp", .text)
            t.uniqueKey(["projectId", "name"])
        }
        let columns = """
            name, description, environment, ownerType, scopes, tokenType, status, secretHash, hint, retiredSecrets,
            expiresAt, ipAllowlist, rateLimit, quota, quotaRemaining, quotaRefilledAt, responseHeaders, meta, createdAt,
            updatedAt, activatedAt, lastUsedAt, lastUsedIp
            """
        try db.execute(
            sql: """
                INSERT INTO newApiKey (id, projectId, workspaceId, creatorId, \(columns))
                SELECT k.id, p.id, w.id, k.accountId, \(columns.split(separator: ",").map { "k." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", "))
                FROM apiKey k
                JOIN workspace w ON w.personalAccountId = k.accountId
                JOIN project p ON p.workspaceId = w.id;
                DROP TABLE apiKey;
                ALTER TABLE newApiKey RENAME TO apiKey;
                CREATE INDEX apiKey_on_projectId_createdAt ON apiKey(projectId, createdAt);
                CREATE INDEX apiKey_on_projectId_lastUsedAt ON apiKey(projectId, lastUsedAt);
                CREATE INDEX apiKey_on_projectId_name_nocase ON apiKey(projectId, name COLLATE NOCASE);
                CREATE INDEX apiKey_on_workspaceId ON apiKey(workspaceId);
                CREATE INDEX apiKey_on_creatorId ON apiKey(creatorId);
                """)
        try SQLiteStore.createKeySearch(db)
    }

    /// Active keys with `keys:read` or `keys:write` move to the admin key table, keeping id, secret, expiry and
    /// allowlist; they reach the Default project only. Their usage history goes with the project key.
    private static func convertManagementKeys(_ db: Database) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, projectId, workspaceId, name, scopes, expiresAt, ipAllowlist, secretHash, hint, createdAt,
                    updatedAt, lastUsedAt, lastUsedIp
                FROM apiKey
                WHERE status = 'active' AND secretHash IS NOT NULL
                    AND EXISTS (SELECT 1 FROM json_each(apiKey.scopes) WHERE value IN ('keys:read', 'keys:write'))
                """)
        for row in rows {
            let scopes = try JSONDecoder().decode([String].self, from: Data((row["scopes"] as String).utf8))
            let permissions = scopes.filter { $0 == "keys:read" || $0 == "keys:write" }.sorted()
            let projects = [row["projectId"] as String]
            try db.execute(
                sql: """
                    INSERT INTO adminKey (id, workspaceId, name, permissions, projects, expiresAt, ipAllowlist, secretHash,
                        hint, createdAt, updatedAt, lastUsedAt, lastUsedIp)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    row["id"], row["workspaceId"], row["name"], json(permissions), json(projects), row["expiresAt"],
                    row["ipAllowlist"], row["secretHash"], row["hint"], row["createdAt"], row["updatedAt"], row["lastUsedAt"],
                    row["lastUsedIp"],
                ])
            try db.execute(sql: "DELETE FROM keyUsage WHERE keyId = ?", arguments: [row["id"]])
            try db.execute(sql: "DELETE FROM apiKey WHERE id = ?", arguments: [row["id"]])
        }
    }

    /// Entries gain their workspace (key changes and the account's own events: its personal workspace) and actor.
    private static func extendAudit(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE auditEntry ADD COLUMN workspaceId TEXT;
                ALTER TABLE auditEntry ADD COLUMN actorType TEXT NOT NULL DEFAULT 'system';
                ALTER TABLE auditEntry ADD COLUMN actorId TEXT;
                ALTER TABLE auditEntry ADD COLUMN actorName TEXT;
                UPDATE auditEntry SET
                    workspaceId = (SELECT id FROM workspace WHERE personalAccountId = auditEntry.accountId),
                    actorType = 'user', actorId = CAST(accountId AS TEXT),
                    actorName = (SELECT email FROM account WHERE id = auditEntry.accountId)
                WHERE EXISTS (SELECT 1 FROM account WHERE id = auditEntry.accountId);
                CREATE INDEX auditEntry_on_workspaceId_id ON auditEntry(workspaceId, id);
                """)
    }

    private static func json(_ strings: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8), as: UTF8.self)
    }
}

extension SQLiteStore {
    /// The console's search: a trigram index over name, description, hint and id (substring matches, any case).
    static func createKeySearch(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE VIRTUAL TABLE apiKeySearch USING fts5(
                    name, description, hint, id, content = 'apiKey', content_rowid = 'rowid', tokenize = 'trigram');
                INSERT INTO apiKeySearch(apiKeySearch) VALUES ('rebuild');
                CREATE TRIGGER apiKeySearch_afterInsert AFTER INSERT ON apiKey BEGIN
                    INSERT INTO apiKeySearch(rowid, name, description, hint, id)
                    VALUES (new.rowid, new.name, new.description, new.hint, new.id);
                END;
                CREATE TRIGGER apiKeySearch_afterDelete AFTER DELETE ON apiKey BEGIN
                    INSERT INTO apiKeySearch(apiKeySearch, rowid, name, description, hint, id)
                    VALUES ('delete', old.rowid, old.name, old.description, old.hint, old.id);
                END;
                CREATE TRIGGER apiKeySearch_afterUpdate AFTER UPDATE OF name, description, hint ON apiKey BEGIN
                    INSERT INTO apiKeySearch(apiKeySearch, rowid, name, description, hint, id)
                    VALUES ('delete', old.rowid, old.name, old.description, old.hint, old.id);
                    INSERT INTO apiKeySearch(rowid, name, description, hint, id)
                    VALUES (new.rowid, new.name, new.description, new.hint, new.id);
                END;
                """
        )
    }
}
