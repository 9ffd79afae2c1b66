/// `/projects`: the workspace's projects and, for admins, the form for a new one.
struct ProjectListPage: PageModel {
    static let template = "projects/list"

    struct Row: Sendable {
        let id: String
        let name: String
        let keyPrefix: String
        let description: String
        let keyCount: Int
        let url: String
        let isCurrent: Bool
    }

    let layout: Layout
    let rows: [Row]
    let form: ProjectFormValues
    let errors: [String: String]
}

/// `/projects/{id}`: settings (name, prefix, description), the gate snippets and the danger zone.
struct ProjectSettingsPage: PageModel {
    static let template = "projects/show"

    let layout: Layout
    let id: String
    let name: String
    let url: String
    let keyCount: Int
    let form: ProjectFormValues
    let errors: [String: String]
    let snippets: GateSnippets
    let canDelete: Bool
}

/// The confirmation before a project and all its keys are deleted.
struct DeleteProjectPage: PageModel {
    static let template = "projects/delete"

    let layout: Layout
    let name: String
    let url: String
    let keyCount: Int
}

/// What a project form shows: what was typed, or what is stored.
struct ProjectFormValues: Sendable {
    var name = ""
    var keyPrefix = "ks"
    var description = ""
}
