/// `POST /api/v1/keys/verify`: a token, or a key id with its secret; optionally the scope and client address to check.
struct VerifyRequest: Decodable, Sendable {
    let token: String?
    let key: String?
    let secret: String?
    let scope: String?
    let ip: String?
}
