import GRDB
import KeysmithStore

extension SQLiteStore {
    /// The schema's history. A shipped migration is never edited or renamed; new ones are appended by name.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("createAccountSessionAudit") { db in
            try db.create(table: "account") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("email", .text).notNull().unique()
                t.column("passwordHash", .text).notNull()
                t.column("keyPrefix", .text).notNull().defaults(to: "ks")
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
            try db.create(table: "session") { t in
                t.primaryKey("id", .text)  // SHA-256 of the cookie value; the cookie itself is never stored
                t.belongsTo("account", onDelete: .cascade).notNull()
                t.column("csrfToken", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("lastSeenAt", .datetime).notNull()
                t.column("expiresAt", .datetime).notNull()
                t.column("ip", .text)
                t.column("userAgent", .text)
            }
            // Entries outlive what they describe (a deleted key, a deleted account), so accountId is no foreign key.
            try db.create(table: "auditEntry") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("accountId", .integer).notNull()
                t.column("action", .text).notNull()
                t.column("subject", .text)
                t.column("detail", .text)
                t.column("ip", .text)
                t.column("userAgent", .text)
                t.column("createdAt", .datetime).notNull()
            }
            try db.create(index: "auditEntry_on_accountId_id", on: "auditEntry", columns: ["accountId", "id"])
        }
        migrator.registerMigration("createAPIKeyAndUsage") { db in
            try db.create(table: "apiKey") { t in
                t.primaryKey("id", .text)
                t.belongsTo("account", onDelete: .cascade).notNull()
                t.column("name", .text).notNull()
                t.column("description", .text).notNull().defaults(to: "")
                t.column("environment", .text).notNull()
                t.column("ownerType", .text).notNull()
                t.column("scopes", .text).notNull()
                t.column("tokenType", .text).notNull()
                t.column("status", .text).notNull()
                t.column("secretHash", .text)
                t.column("hint", .text)
                t.column("previousSecretHash", .text)
                t.column("previousSecretExpiresAt", .datetime)
                t.column("expiresAt", .datetime)
                t.column("ipAllowlist", .text).notNull()
                t.column("rateLimit", .text)
                t.column("quota", .text)
                t.column("quotaRemaining", .integer)
                t.column("responseHeaders", .text).notNull()
                t.column("meta", .text).notNull()
                t.column("createdAt", .datetime).notNull()
                t.column("updatedAt", .datetime).notNull()
                t.column("activatedAt", .datetime)
                t.column("lastUsedAt", .datetime)
                t.column("lastUsedIp", .text)
                t.uniqueKey(["accountId", "name"])
            }
            // The console lists one account's keys sorted by creation or last use.
            try db.create(index: "apiKey_on_accountId_createdAt", on: "apiKey", columns: ["accountId", "createdAt"])
            try db.create(index: "apiKey_on_accountId_lastUsedAt", on: "apiKey", columns: ["accountId", "lastUsedAt"])
            try db.create(table: "keyUsage") { t in
                t.belongsTo("key", inTable: "apiKey", onDelete: .cascade).notNull()
                t.column("day", .text).notNull()
                t.column("count", .integer).notNull()
                t.primaryKey(["keyId", "day"])
            }
        }
        migrator.registerMigration("indexAPIKeyNames") { db in
            // The console sorts by name case-insensitively; without this a page of 25 sorts every key of the account.
            try db.execute(sql: "CREATE INDEX apiKey_on_accountId_name_nocase ON apiKey(accountId, name COLLATE NOCASE)")
        }
        migrator.registerMigration("addQuotaRefilledAt") { db in
            // When the quota was last topped up, so a monthly refill happens once per calendar month (UTC).
            try db.alter(table: "apiKey") { t in t.add(column: "quotaRefilledAt", .datetime) }
        }
        migrator.registerMigration("createAPIKeySearch") { db in
            // The console's search finds substrings of name, description, hint and id. A trigram index answers that
            // without reading every key of the account (a 10,000-key LIKE scan cost several milliseconds).
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
        migrator.registerMigration("backfillQuotaRefilledAt") { db in
            // Keys with a quota made before `quotaRefilledAt` existed start their monthly cycle at creation.
            try db.execute(
                sql: "UPDATE apiKey SET quotaRefilledAt = createdAt WHERE quota IS NOT NULL AND quotaRefilledAt IS NULL")
        }
        migrator.registerMigration("keepEveryRotationGrace") { db in
            // One previous secret per key meant a second rotation ended the first one's announced grace. Rotated-out
            // secrets become a JSON list with their own ends (milliseconds, as GRDB encodes JSON dates); the hint of a
            // migrated one is unknown (""), so it is tried for any presented secret.
            try db.execute(
                sql: """
                    ALTER TABLE apiKey ADD COLUMN retiredSecrets TEXT NOT NULL DEFAULT '[]';
                    UPDATE apiKey SET retiredSecrets = json_array(json_object(
                        'secret', json_object('hash', previousSecretHash, 'hint', ''),
                        'until', CAST(ROUND((julianday(previousSecretExpiresAt) - 2440587.5) * 86400000) AS INTEGER)))
                    WHERE previousSecretHash IS NOT NULL AND previousSecretExpiresAt IS NOT NULL;
                    ALTER TABLE apiKey DROP COLUMN previousSecretHash;
                    ALTER TABLE apiKey DROP COLUMN previousSecretExpiresAt;
                    """
            )
        }
        migrator.registerMigration("createWorkspaces", migrate: WorkspacesMigration.migrate)
        // Keys the server signs with (cookies), shared by every node on this database and kept across restarts.
        migrator.registerMigration("createServerSecret") { db in
            try db.create(table: "serverSecret") { t in
                t.primaryKey("name", .text)
                t.column("value", .blob).notNull()
                t.column("createdAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("createKeyUsageOutcomesAndPlaces") { db in
            // The chart stacks refused and rate-limited requests on the valid ones (`count` stays the valid ones, as
            // the API's usage endpoint has always reported). The detail page shows where a key was used: per day,
            // which gate and scope, and which client addresses — at most `UsageTally.placeLimit` of each per key
            // and day (the rest under one catch-all row), so a key tried from a million addresses costs a few rows.
            try db.alter(table: "keyUsage") { t in
                t.add(column: "refused", .integer).notNull().defaults(to: 0)
                t.add(column: "rateLimited", .integer).notNull().defaults(to: 0)
            }
            try db.create(table: "keyUsageGate") { t in
                t.belongsTo("key", inTable: "apiKey", onDelete: .cascade).notNull()
                t.column("day", .text).notNull()
                t.column("gate", .text).notNull()
                t.column("scope", .text).notNull()
                t.column("count", .integer).notNull()
                t.column("lastSeenAt", .datetime).notNull()
                t.primaryKey(["keyId", "day", "gate", "scope"])
            }
            try db.create(table: "keyUsageClient") { t in
                t.belongsTo("key", inTable: "apiKey", onDelete: .cascade).notNull()
                t.column("day", .text).notNull()
                t.column("ip", .text).notNull()
                t.column("count", .integer).notNull()
                t.column("lastSeenAt", .datetime).notNull()
                t.primaryKey(["keyId", "day", "ip"])
            }
        }
        // New migrations go here, by name. A shipped migration is never edited or renamed.
        return migrator
    }
}
