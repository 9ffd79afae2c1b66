/// One UTC day of a key's requests by outcome, as the store reads it back for the chart.
public struct DailyUsage: Hashable, Sendable {
    /// `2026-11-25`.
    public let day: String
    public let outcomes: UsageTally.Outcomes

    public init(day: String, outcomes: UsageTally.Outcomes) {
        self.day = day
        self.outcomes = outcomes
    }
}
