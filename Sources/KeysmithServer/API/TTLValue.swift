/// A `ttl` as the API takes it: text (`"30d"`, `"90d"`, `"1y"`) or, as seed 004 sends it, a whole number of
/// seconds. Either way it becomes the text `ExpiryChoice` parses, so both get the same validation and messages.
struct TTLValue: Decodable, Sendable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Int.self) {
            // Zero and negative numbers reach ExpiryChoice as "0s", which it refuses with its own message.
            text = "\(max(0, seconds))s"
        } else {
            text = try container.decode(String.self)
        }
    }
}
