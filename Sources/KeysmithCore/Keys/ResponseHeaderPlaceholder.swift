/// A value filled in per request inside a response header template, written `${key.id}`.
public enum ResponseHeaderPlaceholder: String, CaseIterable, Codable, Sendable {
    case keyID = "key.id"
    case keyName = "key.name"
    case keyEnvironment = "key.environment"
    case workspaceID = "workspace.id"
    case projectID = "project.id"
    /// The first slice's name for the owner of the key; now the workspace's id.
    case accountID = "account.id"
    case keyScopes = "key.scopes"
    case rateLimitRemaining = "ratelimit.remaining"
    case quotaRemaining = "quota.remaining"
    case requestIP = "request.ip"
}
