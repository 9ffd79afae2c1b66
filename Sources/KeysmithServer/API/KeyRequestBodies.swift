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

    var draft: ResponseHeaderDraft { ResponseHeaderDraft(name: name, value: value, exclude: exclude ?? false) }
}
