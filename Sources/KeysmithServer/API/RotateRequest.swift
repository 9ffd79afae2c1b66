/// `POST /api/v1/keys/{id}/rotate`: how long the old secret keeps working; custom keys send their new secret.
struct RotateRequest: Decodable, Sendable {
    let grace: String?
    let secret: String?

    enum CodingKeys: String, CodingKey { case grace, secret }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        grace = try container.decodeIfPresentNotNull(String.self, forKey: .grace)
        secret = try container.decodeIfPresentNotNull(String.self, forKey: .secret)
    }
}
