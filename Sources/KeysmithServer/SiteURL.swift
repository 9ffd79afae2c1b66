import Hummingbird

/// Every console URL in one place, so links and redirects cannot drift apart.
enum SiteURL: Equatable {
    case home
    case signup
    case login
    case logout
    case account
    case accountPassword
    case accountSessionsRevoke
    case accountDelete
    case audit(page: Int)
    case auditCSV
    case apiDocs
    case quickStart
    case projects
    case project(String)
    case members
    case adminKeys
    case workspace
    case newWorkspace
    case health
    case metrics
    case keys
    case newKey
    case key(String)
    case keyEdit(String)
    case keyAction(String, KeyActionPath)
    case keyReveal(String, revealId: String)
    case keyDelete(String)

    /// The endpoints of a key's lifecycle buttons: POST does it; `disable` and `rotateNow` also answer GET with their
    /// confirmation page.
    enum KeyActionPath: String {
        case activate, rotate, disable, enable
        case rotateNow = "rotate-now"
        case endGrace = "end-grace"
    }

    var path: String {
        switch self {
        case .home: "/"
        case .signup: "/signup"
        case .login: "/login"
        case .logout: "/logout"
        case .account: "/account"
        case .accountPassword: "/account/password"
        case .accountSessionsRevoke: "/account/sessions/revoke"
        case .accountDelete: "/account/delete"
        case .audit(let page): page > 1 ? "/audit?page=\(page)" : "/audit"
        case .auditCSV: "/audit.csv"
        case .apiDocs: "/docs/api"
        case .quickStart: "/docs/api#quick-start"
        case .projects: "/projects"
        case .project(let id): "/projects/\(id)"
        case .members: "/members"
        case .adminKeys: "/admin-keys"
        case .workspace: "/workspace"
        case .newWorkspace: "/workspaces/new"
        case .health: "/healthz"
        case .metrics: "/metrics"
        case .keys: "/keys"
        case .newKey: "/keys/new"
        case .key(let id): "/keys/\(id)"
        case .keyEdit(let id): "/keys/\(id)/edit"
        case .keyAction(let id, let action): "/keys/\(id)/\(action.rawValue)"
        case .keyReveal(let id, let revealId): "/keys/\(id)/reveal/\(revealId)"
        case .keyDelete(let id): "/keys/\(id)/delete"
        }
    }

    /// The path as a route pattern for the router.
    var route: RouterPath { RouterPath(path) }

    /// Where a signed-in user lands by default.
    static let dashboard = SiteURL.keys

    /// The login page that sends the user back to `path` afterwards.
    static func loginPath(returningTo path: String) -> String {
        guard let next = safeReturnPath(path), next != SiteURL.dashboard.path, next != SiteURL.home.path else {
            return SiteURL.login.path
        }
        return "\(SiteURL.login.path)?next=\(next.addingPercentEncodingForQuery())"
    }

    /// Only same-site absolute paths come back from `?next=`, never `//evil.example` or `https://…` (no open redirect).
    static func safeReturnPath(_ candidate: String?) -> String? {
        // No whitespace or control characters at all: browsers drop tabs and newlines, so `/\t/evil` would become
        // `//evil`, a link to another site.
        guard let candidate, candidate.hasPrefix("/"), !candidate.hasPrefix("//"), candidate.count <= 512,
            !candidate.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || $0 == "\\" })
        else { return nil }
        return candidate
    }
}
