/// `POST /api/v1/keys/verify`: the gate's project, a token (or a key id with its secret); optionally the scope and
/// client address to check.
struct VerifyRequest: FlatJSONDecodable, Sendable {
    let project: String?
    let token: String?
    let key: String?
    let secret: String?
    let scope: String?
    let ip: String?

    enum CodingKeys: String, CodingKey { case project, token, key, secret, scope, ip }

    init(strings: [String: String]) {
        project = strings["project"]
        (token, key, secret, scope, ip) = (strings["token"], strings["key"], strings["secret"], strings["scope"], strings["ip"])
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        project = try container.decodeIfPresentNotNull(String.self, forKey: .project)
        token = try container.decodeIfPresentNotNull(String.self, forKey: .token)
        key = try container.decodeIfPresentNotNull(String.self, forKey: .key)
        secret = try container.decodeIfPresentNotNull(String.self, forKey: .secret)
        scope = try container.decodeIfPresentNotNull(String.self, forKey: .scope)
        ip = try container.decodeIfPresentNotNull(String.self, forKey: .ip)
    }

    /// Exactly one presentation: `token`, or `key` with `secret`; the field to blame when it is not.
    var shapeError: (field: String, message: String)? {
        switch (token, key, secret) {
        case (_?, nil, nil), (nil, _?, _?): nil
        case (nil, nil, nil): ("token", "Send token, or key and secret.")
        case (_?, _, _): ("token", "Send token alone, or key and secret instead — not both.")
        case (nil, _?, nil): ("secret", "A key needs its secret.")
        case (nil, nil, _?): ("key", "A secret needs its key id.")
        }
    }
}
