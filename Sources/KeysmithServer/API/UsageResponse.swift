/// `GET /api/v1/keys/{id}/usage`: verified requests per UTC day, oldest first.
struct UsageResponse: Encodable, Sendable {
    struct Day: Encodable, Sendable {
        let day: String
        let count: Int
    }

    let data: [Day]
}
