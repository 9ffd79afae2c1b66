/// Previous/next links for a paged list; links keep the rest of the query. A missing link is nil, so the template
/// draws a disabled placeholder in its place and Previous stays left, Next right, on every page.
struct Pagination: Sendable, Equatable {
    let summary: String
    let previousURL: String?
    let nextURL: String?

    /// "Page 2 of 7", for a list that states its count once elsewhere (the key list's result line).
    init(number: Int, pageCount: Int, url: (Int) -> String) {
        self.init(summary: "Page \(number) of \(pageCount)", number: number, pageCount: pageCount, url: url)
    }

    /// "Page 2 of 7 · 160 entries", for a list whose only count this is (the audit log).
    init(number: Int, pageCount: Int, totalCount: Int, noun: (one: String, many: String), url: (Int) -> String) {
        let summary = "Page \(number) of \(pageCount) · \(totalCount) \(totalCount == 1 ? noun.one : noun.many)"
        self.init(summary: summary, number: number, pageCount: pageCount, url: url)
    }

    private init(summary: String, number: Int, pageCount: Int, url: (Int) -> String) {
        self.summary = summary
        // Past the end (a stale link), Previous leads back to the last page rather than to another empty one.
        previousURL = number > 1 ? url(min(number - 1, pageCount)) : nil
        nextURL = number < pageCount ? url(number + 1) : nil
    }
}
