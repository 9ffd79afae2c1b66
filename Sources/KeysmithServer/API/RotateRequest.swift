/// `POST /api/v1/keys/{id}/rotate`: how long the old secret keeps working; custom keys send their new secret.
struct RotateRequest: Decodable, Sendable {
    let grace: String?
    let secret: String?
}
