import Foundation

/// Where a page of the API's key list ends: the last key's creation time and id, as an opaque string.
public struct KeyCursor: Sendable, Equatable {
    public let createdAt: Date
    public let id: String

    public init(createdAt: Date, id: String) {
        self.createdAt = createdAt
        self.id = id
    }

    /// Milliseconds (what the database stores) and the id; the id never contains `.`.
    public var text: String { "\(Int64((createdAt.timeIntervalSince1970 * 1000).rounded())).\(id)" }

    public init?(text: String) {
        let parts = text.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let milliseconds = Int64(parts[0]), !parts[1].isEmpty, parts[1].count <= 64 else { return nil }
        createdAt = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        id = String(parts[1])
    }
}
