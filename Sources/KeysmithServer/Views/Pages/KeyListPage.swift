/// `/keys`: search, filters, sort, the table and the empty state.
struct KeyListPage: PageModel {
    static let template = "keys/list"

    let layout: Layout
    let rows: [KeySummary]
    let hasRows: Bool
    /// No keys at all: the explanatory empty state instead of "no matches".
    let isFirstRun: Bool
    let search: String
    let isFiltered: Bool
    let environments: [FormOption]
    let statuses: [FormOption]
    let sorts: [FormOption]
    let pagination: Pagination?
    let resultSummary: String
}
