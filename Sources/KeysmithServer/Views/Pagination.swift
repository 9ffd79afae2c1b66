/// Previous/next links for a paged list; links keep the rest of the query.
struct Pagination: Sendable {
    let summary: String
    let previousURL: String?
    let nextURL: String?

    init(number: Int, pageCount: Int, totalCount: Int, noun: (one: String, many: String), url: (Int) -> String) {
        summary = "Page \(number) of \(pageCount) · \(totalCount) \(totalCount == 1 ? noun.one : noun.many)"
        previousURL = number > 1 ? url(number - 1) : nil
        nextURL = number < pageCount ? url(number + 1) : nil
    }
}
