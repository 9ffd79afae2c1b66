/// `POST /workspaces`, `PATCH /workspaces/{id}`.
struct WorkspaceNameRequest: Decodable, Sendable {
    let name: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresentNotNull(String.self, forKey: .name)
    }

    enum CodingKeys: String, CodingKey { case name }
}

/// `POST /projects` and `PATCH /projects/{id}` (what is left out keeps its value).
struct ProjectRequest: Decodable, Sendable {
    let name: String?
    let keyPrefix: String?
    let description: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresentNotNull(String.self, forKey: .name)
        keyPrefix = try container.decodeIfPresentNotNull(String.self, forKey: .keyPrefix)
        description = try container.decodeIfPresentNotNull(String.self, forKey: .description)
    }

    enum CodingKeys: String, CodingKey { case name, keyPrefix, description }
}

/// `PATCH /members/{userId}`.
struct RoleRequest: Decodable, Sendable {
    let role: String?

    init(from decoder: any Decoder) throws {
        role = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresentNotNull(String.self, forKey: .role)
    }

    enum CodingKeys: String, CodingKey { case role }
}

/// `POST /invites`.
struct InviteRequest: Decodable, Sendable {
    let email: String?
    let role: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        email = try container.decodeIfPresentNotNull(String.self, forKey: .email)
        role = try container.decodeIfPresentNotNull(String.self, forKey: .role)
    }

    enum CodingKeys: String, CodingKey { case email, role }
}

/// `POST /invites/accept`.
struct AcceptInviteRequest: Decodable, Sendable {
    let token: String?

    init(from decoder: any Decoder) throws {
        token = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresentNotNull(String.self, forKey: .token)
    }

    enum CodingKeys: String, CodingKey { case token }
}

/// `POST /admin-keys` and `PATCH /admin-keys/{id}`; on PATCH, what is left out keeps its value and `projects: null`
/// means every project.
struct AdminKeyRequest: Decodable, Sendable {
    let name: String?
    let permissions: [String]?
    let projects: Patch<[String]>
    let expiresAt: Patch<String>
    let ttl: Patch<String>
    let ipAllowlist: [String]?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresentNotNull(String.self, forKey: .name)
        permissions = try container.decodeIfPresentNotNull([String].self, forKey: .permissions)
        projects = try container.decodePatch([String].self, forKey: .projects, nullable: true)
        expiresAt = try container.decodePatch(String.self, forKey: .expiresAt, nullable: true)
        ttl = try container.decodePatch(TTLValue.self, forKey: .ttl).map(\.text)
        ipAllowlist = try container.decodeIfPresentNotNull([String].self, forKey: .ipAllowlist)
    }

    enum CodingKeys: String, CodingKey { case name, permissions, projects, expiresAt, ttl, ipAllowlist }
}

/// Seed 004's `POST /entities/api-keys`: a name, an environment and an integer `ttl` in seconds.
struct EntityKeyRequest: Decodable, Sendable {
    let name: String?
    let environment: String?
    let ttl: TTLValue?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresentNotNull(String.self, forKey: .name)
        environment = try container.decodeIfPresentNotNull(String.self, forKey: .environment)
        ttl = try container.decodeIfPresentNotNull(TTLValue.self, forKey: .ttl)
    }

    enum CodingKeys: String, CodingKey { case name, environment, ttl }
}
