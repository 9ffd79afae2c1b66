import KeysmithStore

/// `/account`: profile, password, key prefix, sessions and the danger zone, each its own form with its own errors.
struct AccountPage: PageModel {
    static let template = "account/show"

    struct SessionRow: Sendable {
        let device: String
        let ip: String
        let signedIn: DisplayDate
        let lastSeen: DisplayDate
        let isCurrent: Bool
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
    let keyPrefix: String
    let prefixValue: String
    let sessions: [SessionRow]
    let hasOtherSessions: Bool
    let passwordErrors: [String: String]
    let prefixErrors: [String: String]
    let deleteErrors: [String: String]
}
