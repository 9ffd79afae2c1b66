import KeysmithCore
import KeysmithStore

/// What the shared layout shows around every page: title, navigation, the workspace and project switcher, account
/// menu, flash and the CSRF token.
struct Layout: Sendable {
    enum Section: Sendable {
        case keys, projects, members, adminKeys, audit, workspace, account, docs, none
    }

    /// The header's links, from `SiteURL`.
    struct URLs: Sendable {
        let keys = SiteURL.keys.path
        let audit = SiteURL.audit(page: 1).path
        let docs = SiteURL.apiDocs.path
        let account = SiteURL.account.path
        let workspace = SiteURL.workspace.path
        let projects = SiteURL.projects.path
        let members = SiteURL.members.path
        let adminKeys = SiteURL.adminKeys.path
        let newWorkspace = SiteURL.newWorkspace.path
        let logout = SiteURL.logout.path
        let login = SiteURL.login.path
        let signup = SiteURL.signup.path
    }

    /// One entry of a switcher.
    struct Choice: Sendable {
        let id: String
        let name: String
        let selected: Bool
    }

    /// What the signed-in user's role allows here, so pages offer only what would succeed (DESIGN §11).
    struct Abilities: Sendable {
        let writeKeys: Bool
        let manageProjects: Bool
        let manageAdminKeys: Bool
        let manageMembers: Bool
        let manageWorkspace: Bool

        init(_ role: Role) {
            writeKeys = role.allows(.writeKeys)
            manageProjects = role.allows(.manageProjects)
            manageAdminKeys = role.allows(.manageAdminKeys)
            manageMembers = role.allows(.manageMembers)
            manageWorkspace = role.allows(.manageWorkspace)
        }
    }

    /// The current workspace and project, with the others to switch to.
    struct Place: Sendable {
        let workspaceName: String
        let workspaceID: String
        let role: String
        let projectName: String
        let projectID: String
        let workspaces: [Choice]
        let projects: [Choice]
        let hasOtherWorkspaces: Bool
        let hasOtherProjects: Bool

        init(_ selection: WorkspaceSelection) {
            workspaceName = selection.workspace.name
            workspaceID = selection.workspace.id.value
            role = selection.role.title
            projectName = selection.project.name
            projectID = selection.project.id.value
            workspaces = selection.memberships.map {
                Choice(id: $0.workspace.id.value, name: $0.workspace.name, selected: $0.workspace.id == selection.workspace.id)
            }
            projects = selection.projects.map {
                Choice(id: $0.id.value, name: $0.name, selected: $0.id == selection.project.id)
            }
            hasOtherWorkspaces = selection.memberships.count > 1
            hasOtherProjects = selection.projects.count > 1
        }
    }

    let title: String
    let csrfToken: String
    /// The signed-in email; nil shows the signed-out header.
    let email: String?
    let flash: FlashBox?
    let isAuthPage: Bool
    let place: Place?
    let can: Abilities?
    let inKeys: Bool
    let inProjects: Bool
    let inMembers: Bool
    let inAdminKeys: Bool
    let inAudit: Bool
    let inWorkspace: Bool
    let inAccount: Bool
    let inDocs: Bool
    /// The current page is one of the account menu's, which marks the menu's button.
    let inMenu: Bool
    let urls = URLs()

    init(
        title: String, csrfToken: String, email: String?, flash: Flash?, section: Section = .none, isAuthPage: Bool = false,
        selection: WorkspaceSelection? = nil
    ) {
        self.title = title
        self.csrfToken = csrfToken
        self.email = email
        self.flash = flash.map(FlashBox.init)
        self.isAuthPage = isAuthPage
        self.place = selection.map(Place.init)
        self.can = selection.map { Abilities($0.role) }
        self.inKeys = section == .keys
        self.inProjects = section == .projects
        self.inMembers = section == .members
        self.inAdminKeys = section == .adminKeys
        self.inAudit = section == .audit
        self.inWorkspace = section == .workspace
        self.inAccount = section == .account
        self.inDocs = section == .docs
        self.inMenu = [.account, .workspace, .projects, .members, .adminKeys].contains(section)
    }

    init(_ title: String, _ context: AppRequestContext, section: Section = .none, isAuthPage: Bool = false) {
        self.init(
            title: title, csrfToken: context.csrfToken, email: context.identity?.email, flash: context.flash, section: section,
            isAuthPage: isAuthPage, selection: context.selection)
    }

    init(_ title: String, _ context: ConsoleContext, section: Section) {
        self.init(
            title: title, csrfToken: context.csrfToken, email: context.account.email, flash: context.flash, section: section,
            selection: context.selection)
    }
}
