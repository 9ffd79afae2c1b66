/// A page of a list (DESIGN §10): `{"data": [...], "next_cursor": "..." | null}`.
struct ListResponse<Item: Sendable>: Sendable {
    let data: [Item]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case data
        case nextCursor = "next_cursor"
    }

}

extension ListResponse: Encodable where Item: Encodable {
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

extension ListResponse: JSONWritable where Item: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.key("data")
            json.array(data) { json, item in item.write(to: &json) }
            json.field("next_cursor", nextCursor)
        }
    }
}
