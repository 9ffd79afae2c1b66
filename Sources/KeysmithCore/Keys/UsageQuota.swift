/// How many more verifications a key allows (0…1,000,000,000), optionally refilled to that amount each month.
public struct UsageQuota: Hashable, Sendable {
    public let remaining: Int
    public let refill: QuotaRefill?

    public static let remainingRange = 0...1_000_000_000

    /// Nil when `remaining` is outside `remainingRange`.
    public init?(remaining: Int, refill: QuotaRefill?) {
        guard Self.remainingRange.contains(remaining) else { return nil }
        self.remaining = remaining
        self.refill = refill
    }

    /// From form or JSON text: a whole number, and `monthly` or nothing (empty or `none`) for the refill.
    public static func parse(remaining: String, refill: String?) -> Result<UsageQuota, FieldMessage> {
        let refillText = refill?.trimmingWhitespace().lowercased() ?? ""
        let refill: QuotaRefill?
        if refillText.isEmpty || refillText == "none" {
            refill = nil
        } else if let monthly = QuotaRefill(rawValue: refillText) {
            refill = monthly
        } else {
            return .failure("Choose a refill of monthly or none.")
        }
        guard let count = Int(remaining.trimmingWhitespace()), let quota = UsageQuota(remaining: count, refill: refill) else {
            return .failure(FieldMessage("Enter a whole number of requests from 0 to \(remainingRange.upperBound)."))
        }
        return .success(quota)
    }
}

extension UsageQuota: Codable {
    private enum CodingKeys: String, CodingKey { case remaining, refill }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let remaining = try container.decode(Int.self, forKey: .remaining)
        let refill = try container.decodeIfPresent(QuotaRefill.self, forKey: .refill)
        guard let quota = UsageQuota(remaining: remaining, refill: refill) else {
            throw DecodingError.dataCorruptedError(
                forKey: .remaining,
                in: container,
                debugDescription: "remaining must be within \(Self.remainingRange)"
            )
        }
        self = quota
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(remaining, forKey: .remaining)
        try container.encode(refill, forKey: .refill)  // null when absent, as DESIGN §6 shows
    }
}
