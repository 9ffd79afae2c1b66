/// A 30-day bar chart as inline SVG (no JavaScript, no CSP exception), with a text alternative beside it.
struct UsageChart: Sendable {
    struct Day: Sendable {
        let day: String
        let count: Int
    }

    let svg: String
    let days: [Day]
    let summary: String

    init(_ usage: [(day: String, count: Int)]) {
        days = usage.map { Day(day: $0.day, count: $0.count) }
        let total = usage.reduce(0) { $0 + $1.count }
        let peak = usage.max { $0.count < $1.count }
        summary =
            total == 0
            ? "No verified requests in the last \(usage.count) days."
            : "\(total) verified \(total == 1 ? "request" : "requests") in the last \(usage.count) days; busiest day \(peak?.day ?? "") with \(peak?.count ?? 0)."
        svg = Self.draw(usage, summary: summary)
    }

    /// Only numbers and `yyyy-MM-dd` strings go into the markup, so nothing in it needs escaping.
    private static func draw(_ usage: [(day: String, count: Int)], summary: String) -> String {
        let width = 600
        let height = 160
        let chartHeight = 130
        let maximum = max(1, usage.map(\.count).max() ?? 1)
        let slot = Double(width) / Double(max(1, usage.count))
        var bars = ""
        for (index, entry) in usage.enumerated() {
            let barHeight = entry.count == 0 ? 1 : max(2, Int(Double(chartHeight) * Double(entry.count) / Double(maximum)))
            let x = Int(Double(index) * slot) + 1
            let y = chartHeight - barHeight
            bars +=
                "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(max(1, Int(slot) - 2))\" height=\"\(barHeight)\" rx=\"1\">"
                + "<title>\(entry.day): \(entry.count)</title></rect>"
        }
        let first = usage.first?.day ?? ""
        let last = usage.last?.day ?? ""
        return """
            <svg viewBox="0 0 \(width) \(height)" role="img" aria-labelledby="usage-chart-title">\
            <title id="usage-chart-title">Requests per day. \(summary)</title>\
            <g class="bars">\(bars)</g>\
            <text x="0" y="\(height - 4)" class="label">\(first)</text>\
            <text x="\(width)" y="\(height - 4)" class="label" text-anchor="end">\(last)</text>\
            <text x="\(width)" y="12" class="label" text-anchor="end">max \(maximum)</text>\
            </svg>
            """
    }
}
