/// A plain acknowledgement, such as `{"message": "API key deleted"}`.
struct MessageResponse: Encodable, Sendable {
    let message: String
}
