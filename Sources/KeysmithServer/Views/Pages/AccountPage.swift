import KeysmithStore

/// `/account`: profile, workspaces, password, sessions and the danger zone, each form with its own errors.
struct AccountPage: PageModel {
    static let template = "account/show"

    struct SessionRow: Sendable {
        let device: String
        let ip: String
        let signedIn: DisplayDate
        let lastSeen: DisplayDate
        let isCurrent: Bool
    }

    struct WorkspaceRow: Sendable {
        let name: String
        let role: String
        let isCurrent: Bool
    }

    /// One of the user's own events: sign-ins, sign-outs, failed attempts, password and session changes.
    struct ActivityRow: Sendable {
        let action: String
        let ip: String
        let device: String
        let at: DisplayDate
    }

    struct KeyCount: Sendable {
        let label: String
        let count: Int
        let url: String
    }

    let layout: Layout
    let keyCounts: [KeyCount]
    let totalKeys: Int
    let hasKeys: Bool
    let email: String
    let memberSince: DisplayDate
    let workspaces: [WorkspaceRow]
    let sessions: [SessionRow]
    let activity: [ActivityRow]
    let hasOtherSessions: Bool
    let passwordErrors: [String: String]
    let deleteErrors: [String: String]
}
