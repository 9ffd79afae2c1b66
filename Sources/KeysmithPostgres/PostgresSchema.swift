import KeysmithStore
import PostgresNIO

/// The PostgreSQL schema's history: the same tables as the SQLite store's, in PostgreSQL's own spelling
/// (snake_case, `timestamptz(3)`, `bigserial`). A shipped migration is never edited or renamed; new ones are appended.
enum PostgresSchema {
    struct Migration {
        let name: String
        let statements: [PostgresQuery]
    }

    /// Applies what is missing, in one transaction under an advisory lock: nodes starting together migrate once.
    /// `schema` (a plain identifier, checked by `PostgresLocation`) is created first when it is missing.
    ///
    /// READ COMMITTED, not the writes' SERIALIZABLE: a node that waited for the lock must then see the migrations the
    /// node before it committed, and a serializable snapshot, taken at the lock query, would not.
    static func migrate(_ store: PostgresStore, schema: String?) async throws {
        try await store.transaction("BEGIN ISOLATION LEVEL READ COMMITTED") { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtext(\("keysmith.migrate." + (schema ?? "public"))))", logger: store.logger)
            if let schema {
                try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", logger: store.logger)
            }
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migration (name text PRIMARY KEY, applied_at timestamptz(3) NOT NULL DEFAULT now())",
                logger: store.logger)
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM schema_migration", logger: store.logger)
                .decode(String.self)
            {
                applied.insert(name)
            }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(statement, logger: store.logger)
                }
                try await connection.query("INSERT INTO schema_migration (name) VALUES (\(migration.name))", logger: store.logger)
            }
        }
    }

    static let migrations: [Migration] = [
        Migration(
            name: "createSchema",
            statements: [
                """
                CREATE TABLE account (
                    id bigserial PRIMARY KEY, email text NOT NULL UNIQUE, password_hash text NOT NULL,
                    created_at timestamptz(3) NOT NULL, updated_at timestamptz(3) NOT NULL)
                """,
                """
                CREATE TABLE workspace (
                    id text PRIMARY KEY, name text NOT NULL,
                    personal_account_id bigint UNIQUE REFERENCES account(id) ON DELETE SET NULL,
                    created_at timestamptz(3) NOT NULL, updated_at timestamptz(3) NOT NULL)
                """,
                """
                CREATE TABLE member (
                    workspace_id text NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
                    account_id bigint NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                    role text NOT NULL, joined_at timestamptz(3) NOT NULL, PRIMARY KEY (workspace_id, account_id))
                """,
                "CREATE INDEX member_on_account_id ON member (account_id)",
                """
                CREATE TABLE project (
                    id text PRIMARY KEY, workspace_id text NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
                    name text NOT NULL, key_prefix text NOT NULL, description text NOT NULL DEFAULT '',
                    created_at timestamptz(3) NOT NULL, updated_at timestamptz(3) NOT NULL, UNIQUE (workspace_id, name))
                """,
                """
                CREATE TABLE session (
                    id text PRIMARY KEY, account_id bigint NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                    csrf_token text NOT NULL, created_at timestamptz(3) NOT NULL, last_seen_at timestamptz(3) NOT NULL,
                    expires_at timestamptz(3) NOT NULL, ip text, user_agent text, workspace_id text, project_id text)
                """,
                "CREATE INDEX session_on_account_id ON session (account_id)",
                """
                CREATE TABLE invite (
                    id text PRIMARY KEY, workspace_id text NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
                    email text NOT NULL, role text NOT NULL, token_hash text NOT NULL UNIQUE, invited_by text NOT NULL,
                    created_at timestamptz(3) NOT NULL, expires_at timestamptz(3) NOT NULL)
                """,
                "CREATE INDEX invite_on_workspace_id ON invite (workspace_id)",
                """
                CREATE TABLE admin_key (
                    id text PRIMARY KEY, workspace_id text NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
                    name text NOT NULL, permissions text NOT NULL, projects text, expires_at timestamptz(3),
                    ip_allowlist text NOT NULL, secret_hash text NOT NULL, hint text NOT NULL,
                    created_at timestamptz(3) NOT NULL, updated_at timestamptz(3) NOT NULL, last_used_at timestamptz(3),
                    last_used_ip text, UNIQUE (workspace_id, name))
                """,
                // Structured fields (scopes, allowlist, limits, headers, retired secrets, metadata) are JSON text,
                // encoded as the SQLite store encodes them.
                """
                CREATE TABLE api_key (
                    id text PRIMARY KEY, project_id text NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                    workspace_id text NOT NULL REFERENCES workspace(id) ON DELETE CASCADE,
                    creator_id bigint REFERENCES account(id) ON DELETE SET NULL,
                    name text NOT NULL, description text NOT NULL DEFAULT '', environment text NOT NULL,
                    owner_type text NOT NULL, scopes text NOT NULL, token_type text NOT NULL, status text NOT NULL,
                    secret_hash text, hint text, retired_secrets text NOT NULL DEFAULT '[]', expires_at timestamptz(3),
                    ip_allowlist text NOT NULL, rate_limit text, quota text, quota_remaining bigint,
                    quota_refilled_at timestamptz(3), response_headers text NOT NULL, meta text NOT NULL,
                    created_at timestamptz(3) NOT NULL, updated_at timestamptz(3) NOT NULL, activated_at timestamptz(3),
                    last_used_at timestamptz(3), last_used_ip text, UNIQUE (project_id, name))
                """,
                "CREATE INDEX api_key_on_project_id_created_at ON api_key (project_id, created_at)",
                "CREATE INDEX api_key_on_project_id_last_used_at ON api_key (project_id, last_used_at)",
                "CREATE INDEX api_key_on_project_id_lower_name ON api_key (project_id, lower(name))",
                "CREATE INDEX api_key_on_workspace_id ON api_key (workspace_id)",
                "CREATE INDEX api_key_on_creator_id ON api_key (creator_id)",
                """
                CREATE TABLE key_usage (
                    key_id text NOT NULL REFERENCES api_key(id) ON DELETE CASCADE, day text NOT NULL,
                    count bigint NOT NULL, refused bigint NOT NULL DEFAULT 0, rate_limited bigint NOT NULL DEFAULT 0,
                    PRIMARY KEY (key_id, day))
                """,
                """
                CREATE TABLE key_usage_gate (
                    key_id text NOT NULL REFERENCES api_key(id) ON DELETE CASCADE, day text NOT NULL,
                    gate text NOT NULL, scope text NOT NULL, count bigint NOT NULL, last_seen_at timestamptz(3) NOT NULL,
                    PRIMARY KEY (key_id, day, gate, scope))
                """,
                """
                CREATE TABLE key_usage_client (
                    key_id text NOT NULL REFERENCES api_key(id) ON DELETE CASCADE, day text NOT NULL,
                    ip text NOT NULL, count bigint NOT NULL, last_seen_at timestamptz(3) NOT NULL,
                    PRIMARY KEY (key_id, day, ip))
                """,
                // Entries outlive what they describe (a deleted key, a deleted account): no foreign keys.
                """
                CREATE TABLE audit_entry (
                    id bigserial PRIMARY KEY, account_id bigint NOT NULL, workspace_id text,
                    actor_type text NOT NULL DEFAULT 'system', actor_id text, actor_name text, action text NOT NULL,
                    subject text, detail text, ip text, user_agent text, created_at timestamptz(3) NOT NULL)
                """,
                "CREATE INDEX audit_entry_on_account_id_id ON audit_entry (account_id, id)",
                "CREATE INDEX audit_entry_on_workspace_id_id ON audit_entry (workspace_id, id)",
                """
                CREATE TABLE server_secret (
                    name text PRIMARY KEY, value bytea NOT NULL, created_at timestamptz(3) NOT NULL)
                """,
            ]),
        // Every committed change of a key's definition gets a number and a NOTIFY (PostgresStore+KeyChanges). Usage
        // and lease writes set only last_used_*/quota_* columns, which `UPDATE OF` leaves out: they notify nobody.
        Migration(
            name: "publishKeyChanges",
            statements: [
                """
                CREATE TABLE key_change (
                    seq bigserial PRIMARY KEY, key_id text NOT NULL, node text NOT NULL,
                    changed_at timestamptz(3) NOT NULL DEFAULT now())
                """,
                "CREATE INDEX key_change_on_key_id_seq ON key_change (key_id, seq)",
                "CREATE INDEX key_change_on_changed_at ON key_change (changed_at)",
                """
                CREATE TABLE node (
                    id text PRIMARY KEY, started_at timestamptz(3) NOT NULL, seen_at timestamptz(3) NOT NULL,
                    applied_seq bigint NOT NULL DEFAULT 0)
                """,
                """
                CREATE FUNCTION key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    changed text := COALESCE(NEW.id, OLD.id);
                    who text := current_setting('application_name');
                    number bigint;
                BEGIN
                    INSERT INTO key_change (key_id, node) VALUES (changed, who) RETURNING seq INTO number;
                    PERFORM pg_notify('keysmith_' || current_schema(), number || ' ' || who || ' ' || changed);
                    RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER api_key_changed AFTER INSERT OR DELETE OR UPDATE OF
                    creator_id, name, description, environment, owner_type, scopes, token_type, status, secret_hash, hint,
                    retired_secrets, expires_at, ip_allowlist, rate_limit, quota, response_headers, meta, updated_at,
                    activated_at
                ON api_key FOR EACH ROW EXECUTE FUNCTION key_changed()
                """,
            ]),
        // Requests of a key's rate-limit window leased to the nodes (PostgresStore+RateWindows); trimmed after a day.
        Migration(
            name: "createRateWindow",
            statements: [
                """
                CREATE TABLE rate_window (
                    key_id text NOT NULL, window_start timestamptz(3) NOT NULL, leased integer NOT NULL,
                    PRIMARY KEY (key_id, window_start))
                """
            ]),
        // The password-check throttles' windows, shared by the nodes (PostgresStore+AttemptWindows).
        Migration(
            name: "createAttemptWindow",
            statements: [
                """
                CREATE TABLE attempt_window (
                    purpose text NOT NULL, key text NOT NULL, window_start timestamptz(3) NOT NULL, used integer NOT NULL,
                    PRIMARY KEY (purpose, key))
                """,
                "CREATE INDEX attempt_window_on_purpose_window_start ON attempt_window (purpose, window_start)",
            ]),
        // New migrations go here, by name. A shipped migration is never edited or renamed.
    ]
}
