/// At most `limit` requests per `window`; the limit is 1…1,000,000 so counters stay small and meaningful.
public struct RateLimit: Hashable, Sendable {
    public let limit: Int
    public let window: RateLimitWindow

    public static let limitRange = 1...1_000_000

    /// Nil when `limit` is outside `limitRange`.
    public init?(limit: Int, window: RateLimitWindow) {
        guard Self.limitRange.contains(limit) else { return nil }
        self.limit = limit
        self.window = window
    }

    /// From form or JSON text: a whole number and `second`, `minute` or `hour`.
    public static func parse(limit: String, window: String) -> Result<RateLimit, FieldMessage> {
        guard let window = RateLimitWindow(rawValue: window.trimmingWhitespace().lowercased()) else {
            return .failure("Choose a window of second, minute or hour.")
        }
        guard let count = Int(limit.trimmingWhitespace()), let rateLimit = RateLimit(limit: count, window: window) else {
            return .failure(FieldMessage("Enter a whole number of requests from 1 to \(limitRange.upperBound)."))
        }
        return .success(rateLimit)
    }
}

extension RateLimit: Codable {
    private enum CodingKeys: String, CodingKey { case limit, window }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let limit = try container.decode(Int.self, forKey: .limit)
        guard let rateLimit = RateLimit(limit: limit, window: try container.decode(RateLimitWindow.self, forKey: .window))
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .limit,
                in: container,
                debugDescription: "limit must be within \(Self.limitRange)"
            )
        }
        self = rateLimit
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(limit, forKey: .limit)
        try container.encode(window, forKey: .window)
    }
}
