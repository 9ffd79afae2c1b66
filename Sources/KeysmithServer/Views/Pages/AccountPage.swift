import Foundation
import KeysmithCore
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
    let projectName: String
    let keyCounts: [KeyCount]
    let totalKeys: Int
    /// "1 key", "12 keys".
    let totalKeysText: String
    let hasKeys: Bool
    let email: String
    let memberSince: DisplayDate
    let workspaces: [WorkspaceRow]
    let sessions: [SessionRow]
    let activity: [ActivityRow]
    let hasOtherSessions: Bool
    let passwordErrors: [String: String]
    let deleteErrors: [String: String]
    let keysURL = SiteURL.keys.path
    let newKeyURL = SiteURL.newKey.path
    let quickStartURL = SiteURL.quickStart.path
    let workspaceURL = SiteURL.workspace.path
    let newWorkspaceURL = SiteURL.newWorkspace.path
    let auditURL = SiteURL.audit(page: 1).path

    /// The statuses counted, in the order shown.
    static let countedStatuses: [KeyStatus] = [.active, .pending, .disabled, .expired]

    init(
        layout: Layout, account: AccountRecord, selection: WorkspaceSelection, keyCounts counts: [KeyStatus: Int],
        sessions: [SessionRecord], currentSessionID: String, activity: [AuditEntryRecord], passwordErrors: [String: String],
        deleteErrors: [String: String], now: Date
    ) {
        self.layout = layout
        projectName = selection.project.name
        // Only statuses that hold keys: "Pending 0 · Disabled 0 · Expired 0" says nothing.
        keyCounts = Self.countedStatuses.compactMap { status in
            guard let count = counts[status], count > 0 else { return nil }
            return KeyCount(
                label: status.rawValue.capitalized, count: count, url: "\(SiteURL.keys.path)?status=\(status.rawValue)")
        }
        totalKeys = Self.countedStatuses.reduce(0) { $0 + (counts[$1] ?? 0) }
        totalKeysText = totalKeys == 1 ? "1 key" : "\(totalKeys) keys"
        hasKeys = totalKeys > 0
        email = account.email
        memberSince = DisplayDate(account.createdAt, now: now)
        workspaces = selection.memberships.map {
            WorkspaceRow(name: $0.workspace.name, role: $0.role.title, isCurrent: $0.workspace.id == selection.workspace.id)
        }
        self.sessions = sessions.map { session in
            SessionRow(
                device: UserAgentSummary.describe(session.userAgent), ip: session.ip ?? "unknown",
                signedIn: DisplayDate(session.createdAt, now: now), lastSeen: DisplayDate(session.lastSeenAt, now: now),
                isCurrent: session.id == currentSessionID)
        }
        self.activity = activity.map { entry in
            ActivityRow(
                action: entry.auditAction?.summary ?? entry.action, ip: entry.ip ?? "—",
                device: UserAgentSummary.describe(entry.userAgent), at: DisplayDate(entry.createdAt, now: now))
        }
        hasOtherSessions = self.sessions.contains { !$0.isCurrent }
        self.passwordErrors = passwordErrors
        self.deleteErrors = deleteErrors
    }
}
