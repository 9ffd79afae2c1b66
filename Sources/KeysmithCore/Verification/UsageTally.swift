import Foundation

/// Verified uses counted in memory between two flushes to the store (DESIGN §7.7): how many per key and UTC day,
/// and each key's latest use. Cheap to add to on every request; the store turns it into a few batched upserts.
public struct UsageTally: Sendable, Equatable {
    /// One key on one UTC day, the day as days since 1970-01-01.
    public struct KeyDay: Hashable, Sendable {
        public let keyID: String
        public let day: Int

        /// `2026-11-25`, the usage table's day.
        public var dayText: String { CivilDate(daysSinceEpoch: day).text }
    }

    public struct LastUse: Hashable, Sendable {
        public let at: Date
        public let ip: String?

        public init(at: Date, ip: String?) {
            self.at = at
            self.ip = ip
        }
    }

    public private(set) var counts: [KeyDay: Int] = [:]
    public private(set) var lastUses: [String: LastUse] = [:]

    public init() {}

    public mutating func record(keyID: String, at date: Date, ip: String?) {
        let day = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        counts[KeyDay(keyID: keyID, day: day), default: 0] += 1
        if lastUses[keyID].map({ date >= $0.at }) ?? true { lastUses[keyID] = LastUse(at: date, ip: ip) }
    }

    /// Adds an earlier tally that could not be written, so a failed flush loses nothing.
    public mutating func merge(_ earlier: UsageTally) {
        counts.merge(earlier.counts, uniquingKeysWith: +)
        lastUses.merge(earlier.lastUses) { mine, theirs in mine.at >= theirs.at ? mine : theirs }
    }

    public var isEmpty: Bool { counts.isEmpty }
    /// Uses counted, across keys and days.
    public var useCount: Int { counts.values.reduce(0, +) }
}
