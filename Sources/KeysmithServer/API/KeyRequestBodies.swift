import KeysmithCore

/// The parts of a key body shared by create and update, as JSON sends them.
struct RateLimitBody: Decodable, Sendable {
    let limit: Int
    let window: String
}

struct QuotaBody: Decodable, Sendable {
    let remaining: Int
    let refill: String?
}

struct HeaderBody: Decodable, Sendable {
    let name: String
    let value: String
    let exclude: Bool?

    enum CodingKeys: String, CodingKey { case name, value, exclude }

    /// `exclude` may be left out (false) but not sent as `null`, as the OpenAPI document says.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        value = try container.decode(String.self, forKey: .value)
        exclude = try container.decodeIfPresentNotNull(Bool.self, forKey: .exclude)
    }

    var draft: ResponseHeaderDraft { ResponseHeaderDraft(name: name, value: value, exclude: exclude ?? false) }
}
