import KeysmithCore

/// `/audit`: the workspace's audit log, newest first, each entry naming its actor.
struct AuditPage: PageModel {
    static let template = "audit/list"

    struct Row: Sendable {
        let action: String
        let actor: String
        let subject: String?
        let detail: String?
        let ip: String
        let device: String
        let at: DisplayDate
    }

    let layout: Layout
    let rows: [Row]
    let hasRows: Bool
    let pagination: Pagination?

    static func actorLabel(_ actor: AuditActor) -> String {
        switch actor {
        case .user(_, let email): email
        case .adminKey(_, let name): "Admin key “\(name)”"
        case .system: "Keysmith"
        }
    }
}
