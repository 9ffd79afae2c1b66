/// The fixed window a rate limit counts requests in.
public enum RateLimitWindow: String, CaseIterable, Codable, Sendable {
    case second
    case minute
    case hour

    public var seconds: Int {
        switch self {
        case .second: 1
        case .minute: 60
        case .hour: 3_600
        }
    }
}
