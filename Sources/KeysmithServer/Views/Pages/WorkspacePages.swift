/// `/workspace`: the current workspace's name (owners rename it), its numbers, leaving it, and deleting it.
struct WorkspaceSettingsPage: PageModel {
    static let template = "workspace/show"

    let layout: Layout
    let id: String
    let name: String
    let nameValue: String
    let errors: [String: String]
    let memberCount: Int
    let projectCount: Int
    let isPersonal: Bool
}

/// `/workspaces/new`: a workspace for a team, with its Default project; you become its owner.
struct NewWorkspacePage: PageModel {
    static let template = "workspace/new"

    let layout: Layout
    let name: String
    let errors: [String: String]
}
