/// `/admin-keys`: the workspace's management credentials, the form for a new one, and — on the one answer that made
/// it — the new key's token.
struct AdminKeysPage: PageModel {
    static let template = "admin-keys/list"

    struct Row: Sendable {
        let id: String
        let name: String
        let hint: String
        let permissions: String
        let projects: String
        let expires: String
        let lastUsed: String
    }

    let layout: Layout
    let rows: [Row]
    let hasRows: Bool
    let permissions: [FormOption]
    let projects: [FormOption]
    let form: AdminKeyFormValues
    let errors: [String: String]
    let newToken: String?
    let newName: String?
}

struct AdminKeyFormValues: Sendable {
    var name = ""
    var expiry = "90d"
    var ipAllowlist = ""
}
