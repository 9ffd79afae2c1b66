/// `/audit`: the account's audit log, newest first.
struct AuditPage: PageModel {
    static let template = "audit/list"

    struct Row: Sendable {
        let action: String
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
}
