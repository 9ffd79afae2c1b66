import KeysmithCore

/// Requests per day, valid / refused / rate-limited stacked, as inline SVG bars (no JavaScript, no CSP exception).
/// Axis labels and the legend are HTML beside the SVG, so no label is ever drawn over a bar and text stays sharp
/// however the bars are stretched; each bar carries a `<title>` with its day's numbers, and a table repeats them all.
struct UsageChart: Sendable {
    struct Day: Sendable {
        let day: String
        let label: String
        let valid: String
        let refused: String
        let rateLimited: String
        let total: String
    }

    struct LegendItem: Sendable {
        let name: String
        let className: String
        let total: String
    }

    let days: [Day]
    /// No request at all in the period: the page shows how to try the key instead of an empty chart.
    let isEmpty: Bool
    let summary: String
    let svg: String
    /// The value of the chart's top line, with separators.
    let peak: String
    let firstDay: String
    let middleDay: String
    let lastDay: String
    let legend: [LegendItem]

    init(_ usage: [DailyUsage]) {
        let totals = usage.reduce(UsageTally.Outcomes()) { sum, day in
            UsageTally.Outcomes(
                valid: sum.valid + day.outcomes.valid, refused: sum.refused + day.outcomes.refused,
                rateLimited: sum.rateLimited + day.outcomes.rateLimited)
        }
        let peakTotal = usage.map(\.outcomes.total).max() ?? 0
        days = usage.map { entry in
            Day(
                day: entry.day, label: Self.shortDate(entry.day), valid: entry.outcomes.valid.grouped,
                refused: entry.outcomes.refused.grouped, rateLimited: entry.outcomes.rateLimited.grouped,
                total: entry.outcomes.total.grouped)
        }
        isEmpty = totals.total == 0
        peak = peakTotal.grouped
        firstDay = usage.first.map { Self.shortDate($0.day) } ?? ""
        middleDay = usage.isEmpty ? "" : Self.shortDate(usage[usage.count / 2].day)
        lastDay = usage.last.map { Self.shortDate($0.day) } ?? ""
        legend = [
            LegendItem(name: "Valid", className: "valid", total: totals.valid.grouped),
            LegendItem(name: "Refused", className: "refused", total: totals.refused.grouped),
            LegendItem(name: "Rate-limited", className: "limited", total: totals.rateLimited.grouped),
        ]
        if isEmpty {
            summary = "No requests in the last \(usage.count) days."
        } else {
            let busiest = usage.max { $0.outcomes.total < $1.outcomes.total }
            summary =
                "\(totals.total.grouped) \(totals.total == 1 ? "request" : "requests") in the last \(usage.count) days: "
                + "\(totals.valid.grouped) valid, \(totals.refused.grouped) refused, \(totals.rateLimited.grouped) rate-limited. "
                + "Busiest day \(busiest.map { Self.shortDate($0.day) } ?? "") with \(peakTotal.grouped)."
        }
        svg = isEmpty ? "" : Self.draw(usage, peak: peakTotal, summary: summary)
    }

    /// `3 Nov` from `2026-11-03`.
    static func shortDate(_ day: String) -> String {
        let parts = day.split(separator: "-")
        guard parts.count == 3, let month = Int(parts[1]), (1...12).contains(month), let date = Int(parts[2]) else {
            return day
        }
        return "\(date) \(months[month - 1])"
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Only numbers and the store's `yyyy-MM-dd` days go into the markup, so nothing in it needs escaping.
    private static func draw(_ usage: [DailyUsage], peak: Int, summary: String) -> String {
        let (width, height) = (300.0, 100.0)
        let slot = width / Double(max(1, usage.count))
        let scale = height / Double(max(1, peak))
        var bars = ""
        for (index, entry) in usage.enumerated() {
            let x = Double(index) * slot + slot * 0.1
            let barWidth = slot * 0.8
            let outcomes = entry.outcomes
            var rects = ""
            var top = height
            // Bottom to top: valid, refused, rate-limited. An empty day keeps a hairline so the day stays visible.
            for (count, className) in [
                (outcomes.valid, "valid"), (outcomes.refused, "refused"), (outcomes.rateLimited, "limited"),
            ]
            where count > 0 {
                let segment = max(2, Double(count) * scale)  // a handful among thousands stays visible
                top -= segment
                rects +=
                    "<rect class=\"\(className)\" x=\"\(fixed(x))\" y=\"\(fixed(top))\" width=\"\(fixed(barWidth))\" height=\"\(fixed(segment))\"/>"
            }
            if outcomes.total == 0 {
                rects =
                    "<rect class=\"zero\" x=\"\(fixed(x))\" y=\"\(fixed(height - 1))\" width=\"\(fixed(barWidth))\" height=\"1\"/>"
            }
            let title =
                "\(shortDate(entry.day)): \(outcomes.valid.grouped) valid, \(outcomes.refused.grouped) refused, "
                + "\(outcomes.rateLimited.grouped) rate-limited"
            // A full-height transparent target, so hovering anywhere in the day's column shows its numbers.
            bars +=
                "<g><title>\(title)</title><rect class=\"hit\" x=\"\(fixed(Double(index) * slot))\" y=\"0\" "
                + "width=\"\(fixed(slot))\" height=\"\(fixed(height))\"/>\(rects)</g>"
        }
        return """
            <svg viewBox="0 0 \(fixed(width)) \(fixed(height))" preserveAspectRatio="none" role="img" \
            aria-labelledby="usage-chart-title" focusable="false">\
            <title id="usage-chart-title">Requests per day. \(summary)</title>\
            \(bars)</svg>
            """
    }

    /// Two decimals at most, so the markup stays short and the same on every platform.
    private static func fixed(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
