import Foundation
import KeysmithCore
import KeysmithStore

/// `{"data": [...]}`: a list that is never paged (workspaces, projects, members, invitations, admin keys).
struct DataList<Item: JSONWritable>: JSONWritable {
    let data: [Item]

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.key("data")
            json.array(data) { json, item in item.write(to: &json) }
        }
    }
}

/// A workspace with the caller's role in it.
struct WorkspaceResource: JSONWritable {
    let workspace: WorkspaceRecord
    let role: Role?

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("createdAt", workspace.createdAt)
            json.field("id", workspace.id.value)
            json.field("name", workspace.name)
            json.field("role", role?.rawValue)
        }
    }
}

struct ProjectResource: JSONWritable {
    let project: ProjectRecord

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("createdAt", project.createdAt)
            json.field("description", project.description)
            json.field("id", project.id.value)
            json.field("keyPrefix", project.keyPrefix)
            json.field("name", project.name)
            json.field("updatedAt", project.updatedAt)
        }
    }
}

struct MemberResource: JSONWritable {
    let member: WorkspaceMember

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("email", member.email)
            json.field("joinedAt", member.joinedAt)
            json.field("role", member.role.rawValue)
            json.field("userId", String(member.accountId))
        }
    }
}

/// An invitation; `url` (whose last segment is the one-time token) only in the answer that made it.
struct InviteResource: JSONWritable {
    let invite: InviteRecord
    var url: String?

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("email", invite.email)
            json.field("expiresAt", invite.expiresAt)
            json.field("id", invite.id.value)
            json.field("role", invite.role.rawValue)
            if let url { json.field("url", url) }
        }
    }
}

/// An admin key; `token` only in the answer that made it. `projects` is null for every project.
struct AdminKeyResource: JSONWritable {
    let key: AdminKey
    var token: String?

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("createdAt", key.createdAt)
            json.field("expiresAt", key.grant.expiresAt)
            json.field("hint", key.hint)
            json.field("id", key.id.value)
            json.field("ipAllowlist", key.grant.ipAllowlist.entries)
            json.field("lastUsedAt", key.lastUsedAt)
            json.field("name", key.name)
            json.field("permissions", key.grant.permissions.sorted().map(\.rawValue))
            json.key("projects")
            if let projects = key.grant.projects { json.array(projects.sorted()) { $0.string($1.value) } } else { json.null() }
            if let token { json.field("token", token) }
        }
    }
}

/// Seed 004's masked key: snake_case, the entity (project) id, a prefix hint, and the token only once.
struct EntityKeyResource: JSONWritable {
    let key: APIKey
    var token: String?

    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("created_at", key.createdAt)
            json.field("entity_id", key.projectID.value)
            json.field("environment", key.environment.rawValue)
            json.field("expires_at", key.expiresAt)
            json.field("id", key.id.value)
            json.field("name", key.name)
            json.field("prefix_hint", key.hint ?? "\(key.id.value.prefix(12))…")
            if let token { json.field("token", token) }
            json.field("updated_at", key.updatedAt)
        }
    }
}

struct MessageBody: JSONWritable {
    let message: String

    func write(to json: inout JSONWriter) {
        json.object { json in json.field("message", message) }
    }
}
