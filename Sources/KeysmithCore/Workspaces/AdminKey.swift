import Foundation

/// A credential of the management API, issued by a workspace to its own scripts (as Unkey's root keys and Stripe's
/// secret keys are), separate from the project keys it hands to its clients. The secret exists only as a hash.
public struct AdminKey: Hashable, Sendable, Identifiable {
    public let id: AdminKeyID
    public let workspaceID: WorkspaceID
    public var name: String
    public var grant: AdminKeyGrant
    public let secret: KeySecrets.Stored
    public let createdAt: Date
    public var updatedAt: Date
    public var lastUsedAt: Date?
    public var lastUsedIP: String?

    public init(
        id: AdminKeyID, workspaceID: WorkspaceID, name: String, grant: AdminKeyGrant, secret: KeySecrets.Stored,
        createdAt: Date, updatedAt: Date, lastUsedAt: Date? = nil, lastUsedIP: String? = nil
    ) {
        self.id = id
        self.workspaceID = workspaceID
        self.name = name
        self.grant = grant
        self.secret = secret
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.lastUsedAt = lastUsedAt
        self.lastUsedIP = lastUsedIP
    }

    public var hint: String { secret.hint }

    public func isExpired(at now: Date) -> Bool { grant.expiresAt.map { $0 <= now } ?? false }

    /// Whether a caller at `clientIP` may use the key at `now`.
    public func admits(clientIP: String?, now: Date) -> Bool {
        guard !isExpired(at: now) else { return false }
        guard !grant.ipAllowlist.isEmpty else { return true }
        return clientIP.flatMap(IPAddress.init).map(grant.ipAllowlist.contains) ?? false
    }
}
