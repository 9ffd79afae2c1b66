/// The networks a key may be used from; empty means any address. Entries are canonical, unique, at most 100.
public struct IPAllowlist: Hashable, Sendable {
    public let ranges: [IPRange]

    public static let maxEntries = 100
    public static let any = IPAllowlist(unchecked: [])

    private init(unchecked ranges: [IPRange]) { self.ranges = ranges }

    /// One entry per line (console textarea, CRLF or LF); blank lines are skipped, errors name their line.
    public static func parse(text: String) -> Result<IPAllowlist, FieldMessage> {
        parse(text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init), label: "Line")
    }

    /// One entry per element (JSON array); blank elements are skipped, errors name their position.
    public static func parse(_ entries: [String]) -> Result<IPAllowlist, FieldMessage> {
        parse(entries, label: "Entry")
    }

    private static func parse(_ entries: [String], label: String) -> Result<IPAllowlist, FieldMessage> {
        var ranges: [IPRange] = []
        var seen: Set<IPRange> = []
        var problems: [String] = []
        var count = 0
        for (offset, entry) in entries.enumerated() where !entry.trimmingWhitespace().isEmpty {
            count += 1
            switch IPRange.parse(entry) {
            case .success(let range):
                if seen.insert(range).inserted { ranges.append(range) }
            case .failure(let message):
                problems.append("\(label) \(offset + 1): \(message.text)")
            }
        }
        guard count <= maxEntries else {
            return .failure(FieldMessage("Use at most \(maxEntries) entries (found \(count))."))
        }
        guard problems.isEmpty else { return .failure(FieldMessage(problems.joined(separator: " "))) }
        return .success(IPAllowlist(unchecked: ranges))
    }

    /// One entry whose stored form differs from what was typed (`192.168.178.1/24` → `192.168.178.0/24`).
    public struct Rewrite: Hashable, Sendable, CustomStringConvertible {
        public let typed: String
        public let stored: String
        public var description: String { "\(typed) was stored as \(stored)" }
    }

    /// The entries of `entries` that are stored differently from how they were typed (host bits cleared, a netmask
    /// written as a prefix length), in order, so the page after saving can say so; entries that fail are skipped.
    public static func rewrites(_ entries: [String]) -> [Rewrite] {
        entries.compactMap { entry in
            guard case .success(let parsed) = IPRange.parseNoting(entry), parsed.rewritten else { return nil }
            return Rewrite(typed: entry.trimmingWhitespace(), stored: parsed.range.description)
        }
    }

    /// Whether a request from `address` may use the key: always when the list is empty.
    public func contains(_ address: IPAddress) -> Bool {
        ranges.isEmpty || ranges.contains { $0.contains(address) }
    }

    public var isEmpty: Bool { ranges.isEmpty }

    /// Canonical entries, as stored and shown (`10.0.0.0/8`, `203.0.113.7`).
    public var entries: [String] { ranges.map(\.description) }

    /// The textarea form: one canonical entry per line.
    public var text: String { entries.joined(separator: "\n") }
}

extension IPAllowlist: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        switch Self.parse(try container.decode([String].self)) {
        case .success(let allowlist): self = allowlist
        case .failure(let message): throw DecodingError.dataCorruptedError(in: container, debugDescription: message.text)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(entries)
    }
}
