/// `/account/prefix`.
struct KeyPrefixForm: Decodable, Sendable {
    var keyPrefix: String?

    enum CodingKeys: String, CodingKey {
        case keyPrefix = "key_prefix"
    }
}
