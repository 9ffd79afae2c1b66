import Foundation

/// How long a rotated-out secret keeps working; raw values are the API's (`"24h"`).
public enum RotationGrace: String, CaseIterable, Codable, Sendable {
    case immediately = "0s"
    case oneHour = "1h"
    case oneDay = "24h"
    case sevenDays = "7d"

    public var seconds: Int {
        switch self {
        case .immediately: 0
        case .oneHour: 3_600
        case .oneDay: 86_400
        case .sevenDays: 604_800
        }
    }

    /// The console's rotate option and the audit log's detail: what happens to the old secret, said the way it
    /// happens.
    public var oldSecretLabel: String {
        switch self {
        case .immediately: "Stops working immediately"
        case .oneHour: "Keeps working for 1 hour"
        case .oneDay: "Keeps working for 24 hours"
        case .sevenDays: "Keeps working for 7 days"
        }
    }

    /// The instant the old secret stops working (exclusive); with `.immediately` that is the rotation itself.
    public func oldSecretExpiry(rotatedAt: Date) -> Date {
        rotatedAt.addingTimeInterval(TimeInterval(seconds))
    }
}
