import GRDB
import KeysmithStore

/// Verified requests of one key on one UTC day (`2026-11-25`): the usage chart's bars.
public struct KeyUsageRecord: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "keyUsage"

    public var keyId: String
    public var day: String
    public var count: Int

    public init(keyId: String, day: String, count: Int) {
        self.keyId = keyId
        self.day = day
        self.count = count
    }

    public enum Columns {
        public static let keyId = Column(CodingKeys.keyId)
        public static let day = Column(CodingKeys.day)
        public static let count = Column(CodingKeys.count)
    }
}
