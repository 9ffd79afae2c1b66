/// Who made a change: a signed-in user, an admin key, or Keysmith itself (migrations, the command line).
public enum AuditActor: Sendable, Equatable {
    case user(id: Int64, email: String)
    case adminKey(id: String, name: String)
    case system

    /// The stored kind (`user`, `admin_key`, `system`), id and label.
    public var kind: String {
        switch self {
        case .user: "user"
        case .adminKey: "admin_key"
        case .system: "system"
        }
    }

    public var id: String? {
        switch self {
        case .user(let id, _): String(id)
        case .adminKey(let id, _): id
        case .system: nil
        }
    }

    public var label: String {
        switch self {
        case .user(_, let email): email
        case .adminKey(_, let name): name
        case .system: "System"
        }
    }

    public init(kind: String?, id: String?, label: String?) {
        switch (kind, id) {
        case ("user", let id?): self = .user(id: Int64(id) ?? 0, email: label ?? "")
        case ("admin_key", let id?): self = .adminKey(id: id, name: label ?? "")
        default: self = .system
        }
    }
}
