import Foundation
import KeysmithCore
import KeysmithStore
import PostgresNIO

// Rows to records and back. Columns are read by name, so a query may select them in any order; structured fields
// are JSON text (`JSONColumn`), as the SQLite store keeps them.

extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try self[column].decode(T.self, context: .default)
    }

    func json<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try JSONColumn.decode(T.self, from: value(column, as: String.self))
    }

    func optionalJSON<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        try value(column, as: String?.self).map { try JSONColumn.decode(T.self, from: $0) }
    }
}

extension PostgresRowSequence {
    /// Every row, mapped while it streams in.
    func collect<T>(_ transform: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        var items: [T] = []
        for try await row in self { items.append(try transform(row.makeRandomAccess())) }
        return items
    }

    /// The first row mapped, or nil; the rest are read and dropped.
    func first<T>(_ transform: (PostgresRandomAccessRow) throws -> T) async throws -> T? {
        var found: T?
        for try await row in self where found == nil { found = try transform(row.makeRandomAccess()) }
        return found
    }
}

/// Structured columns as compact JSON text, with one encoder and decoder for every store write and read.
enum JSONColumn {
    static func encode<T: Encodable>(_ value: T) -> String {
        // The encoded values are strings, numbers, dates and arrays of them: encoding cannot fail.
        guard let data = try? JSONEncoder().encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }
}

extension AccountRecord {
    static let columns = "id, email, password_hash, created_at, updated_at"

    init(row: PostgresRandomAccessRow) throws {
        self.init(email: try row.value("email"), passwordHash: try row.value("password_hash"), now: try row.value("created_at"))
        id = try row.value("id")
        updatedAt = try row.value("updated_at")
    }
}

extension SessionRecord {
    static let columns =
        "id, account_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent, workspace_id, project_id"

    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.value("id"), accountId: try row.value("account_id"), csrfToken: try row.value("csrf_token"),
            createdAt: try row.value("created_at"), expiresAt: try row.value("expires_at"), ip: try row.value("ip"),
            userAgent: try row.value("user_agent"))
        lastSeenAt = try row.value("last_seen_at")
        workspaceId = try row.value("workspace_id", as: String?.self).map(WorkspaceID.init(unchecked:))
        projectId = try row.value("project_id", as: String?.self).map(ProjectID.init(unchecked:))
    }
}

extension WorkspaceRecord {
    static let columns = "id, name, personal_account_id, created_at, updated_at"

    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: WorkspaceID(unchecked: try row.value("id")), name: try row.value("name"),
            personalAccountId: try row.value("personal_account_id"), createdAt: try row.value("created_at"),
            updatedAt: try row.value("updated_at"))
    }
}

extension MemberRecord {
    init(row: PostgresRandomAccessRow) throws {
        self.init(
            workspaceId: WorkspaceID(unchecked: try row.value("workspace_id")), accountId: try row.value("account_id"),
            role: Role(rawValue: try row.value("role")) ?? .viewer, joinedAt: try row.value("joined_at"))
    }
}

extension ProjectRecord {
    static let columns = "id, workspace_id, name, key_prefix, description, created_at, updated_at"

    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: ProjectID(unchecked: try row.value("id")), workspaceId: WorkspaceID(unchecked: try row.value("workspace_id")),
            name: try row.value("name"), keyPrefix: try row.value("key_prefix"), description: try row.value("description"),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"))
    }
}

extension InviteRecord {
    static let columns = "id, workspace_id, email, role, token_hash, invited_by, created_at, expires_at"

    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: InviteID(unchecked: try row.value("id")), workspaceId: WorkspaceID(unchecked: try row.value("workspace_id")),
            email: try row.value("email"), role: Role(rawValue: try row.value("role")) ?? .viewer,
            tokenHash: try row.value("token_hash"), invitedBy: try row.value("invited_by"),
            createdAt: try row.value("created_at"), expiresAt: try row.value("expires_at"))
    }
}

extension AuditEntryRecord {
    static let columns =
        "id, account_id, workspace_id, actor_type, actor_id, actor_name, action, subject, detail, ip, user_agent, created_at"

    init(row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.value("id"), accountId: try row.value("account_id"),
            workspaceId: try row.value("workspace_id", as: String?.self).map(WorkspaceID.init(unchecked:)),
            actorType: try row.value("actor_type"), actorId: try row.value("actor_id"), actorName: try row.value("actor_name"),
            action: try row.value("action"), subject: try row.value("subject"), detail: try row.value("detail"),
            ip: try row.value("ip"), userAgent: try row.value("user_agent"), createdAt: try row.value("created_at"))
    }
}

/// The `api_key` row of an `APIKey` (KeysmithCore); the same fields as the SQLite store's `apiKey` row.
enum APIKeyRow {
    static let columns = """
        id, project_id, workspace_id, creator_id, name, description, environment, owner_type, scopes, token_type, status, \
        secret_hash, hint, retired_secrets, expires_at, ip_allowlist, rate_limit, quota, quota_remaining, quota_refilled_at, \
        response_headers, meta, created_at, updated_at, activated_at, last_used_at, last_used_ip
        """

    /// The domain key; a row whose id does not parse is corrupt and throws.
    static func key(_ row: PostgresRandomAccessRow) throws -> APIKey {
        let createdAt: Date = try row.value("created_at")
        let secretHash: String? = try row.value("secret_hash")
        let hint: String? = try row.value("hint")
        let quota: UsageQuota? = try row.optionalJSON("quota")
        let remaining: Int? = try row.value("quota_remaining")
        let refilledAt: Date? = try row.value("quota_refilled_at")
        let balance = quota.map { quota in
            QuotaBalance(remaining: remaining ?? quota.remaining, periodStart: refilledAt ?? createdAt)
        }
        let metaText: String = try row.value("meta")
        return APIKey(
            id: try KeyID(try row.value("id", as: String.self)),
            projectID: IDInterner.project(ProjectID(unchecked: try row.value("project_id"))),
            workspaceID: IDInterner.workspace(WorkspaceID(unchecked: try row.value("workspace_id"))),
            creatorID: try row.value("creator_id"), name: try row.value("name"), description: try row.value("description"),
            ownerType: try enumValue(row, "owner_type"), scopes: try row.json("scopes"),
            tokenType: try enumValue(row, "token_type"),
            status: try enumValue(row, "status"),
            secrets: KeySecrets(
                current: secretHash.map { KeySecrets.Stored(hash: $0, hint: hint ?? "") },
                retired: try row.json("retired_secrets")),
            expiresAt: try row.value("expires_at"), ipAllowlist: try row.json("ip_allowlist"),
            rateLimit: try row.optionalJSON("rate_limit"), quota: quota, quotaBalance: balance,
            responseHeaders: try row.json("response_headers"),
            meta: (try? KeyMetadata.parse(json: metaText).get()) ?? .empty, createdAt: createdAt,
            updatedAt: try row.value("updated_at"), activatedAt: try row.value("activated_at"),
            lastUsedAt: try row.value("last_used_at"), lastUsedIP: try row.value("last_used_ip"))
    }

    private static func enumValue<T: RawRepresentable>(_ row: PostgresRandomAccessRow, _ column: String) throws -> T
    where T.RawValue == String {
        let text: String = try row.value(column)
        guard let value = T(rawValue: text) else { throw StoreCorruption(column: column, value: text) }
        return value
    }

    static func insert(_ key: APIKey) -> PostgresQuery {
        """
        INSERT INTO api_key (\(unescaped: columns)) VALUES (
            \(key.id.value), \(key.projectID.value), \(key.workspaceID.value), \(key.creatorID), \(key.name),
            \(key.description), \(key.environment.rawValue), \(key.ownerType.rawValue), \(JSONColumn.encode(key.scopes)),
            \(key.tokenType.rawValue), \(key.status.rawValue), \(key.secrets.current?.hash), \(key.secrets.current?.hint),
            \(JSONColumn.encode(key.secrets.retired)), \(key.expiresAt), \(JSONColumn.encode(key.ipAllowlist)),
            \(key.rateLimit.map(JSONColumn.encode)), \(key.quota.map(JSONColumn.encode)), \(key.quotaBalance?.remaining),
            \(key.quotaBalance?.periodStart), \(JSONColumn.encode(key.responseHeaders)), \(key.meta.json), \(key.createdAt),
            \(key.updatedAt), \(key.activatedAt), \(key.lastUsedAt), \(key.lastUsedIP))
        """
    }

    /// Every column but the id, the project and the workspace, which a key never changes.
    static func update(_ key: APIKey) -> PostgresQuery {
        """
        UPDATE api_key SET creator_id = \(key.creatorID), name = \(key.name), description = \(key.description),
            environment = \(key.environment.rawValue), owner_type = \(key.ownerType.rawValue),
            scopes = \(JSONColumn.encode(key.scopes)), token_type = \(key.tokenType.rawValue), status = \(key.status.rawValue),
            secret_hash = \(key.secrets.current?.hash), hint = \(key.secrets.current?.hint),
            retired_secrets = \(JSONColumn.encode(key.secrets.retired)), expires_at = \(key.expiresAt),
            ip_allowlist = \(JSONColumn.encode(key.ipAllowlist)), rate_limit = \(key.rateLimit.map(JSONColumn.encode)),
            quota = \(key.quota.map(JSONColumn.encode)), quota_remaining = \(key.quotaBalance?.remaining),
            quota_refilled_at = \(key.quotaBalance?.periodStart), response_headers = \(JSONColumn.encode(key.responseHeaders)),
            meta = \(key.meta.json), updated_at = \(key.updatedAt), activated_at = \(key.activatedAt),
            last_used_at = \(key.lastUsedAt), last_used_ip = \(key.lastUsedIP)
        WHERE id = \(key.id.value)
        """
    }
}

/// The `admin_key` row of an `AdminKey` (KeysmithCore).
enum AdminKeyRow {
    static let columns = """
        id, workspace_id, name, permissions, projects, expires_at, ip_allowlist, secret_hash, hint, created_at, updated_at, \
        last_used_at, last_used_ip
        """

    static func key(_ row: PostgresRandomAccessRow) throws -> AdminKey {
        let permissions: [AdminPermission] = try row.json("permissions")
        let projects: [ProjectID]? = try row.optionalJSON("projects")
        return AdminKey(
            id: AdminKeyID(unchecked: try row.value("id")), workspaceID: WorkspaceID(unchecked: try row.value("workspace_id")),
            name: try row.value("name"),
            grant: AdminKeyGrant(
                permissions: Set(permissions), projects: projects.map(Set.init), expiresAt: try row.value("expires_at"),
                ipAllowlist: try row.json("ip_allowlist")),
            secret: KeySecrets.Stored(hash: try row.value("secret_hash"), hint: try row.value("hint")),
            createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at"),
            lastUsedAt: try row.value("last_used_at"), lastUsedIP: try row.value("last_used_ip"))
    }

    static func permissions(_ key: AdminKey) -> String { JSONColumn.encode(key.grant.permissions.sorted()) }
    static func projects(_ key: AdminKey) -> String? { key.grant.projects.map { JSONColumn.encode($0.sorted()) } }
}

/// A stored value this version cannot read: a row written by a newer version, or damaged by hand.
struct StoreCorruption: Error, CustomStringConvertible {
    let column: String
    let value: String

    var description: String { "the store holds \(value) in \(column), which this version does not know" }
}
