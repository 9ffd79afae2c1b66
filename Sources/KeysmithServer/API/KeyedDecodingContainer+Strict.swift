extension KeyedDecodingContainer {
    /// An optional field that may be left out but not sent as `null` (the OpenAPI document says which may be null).
    func decodeIfPresentNotNull<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
        guard contains(key) else { return nil }
        if try decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(
                Value.self, .init(codingPath: codingPath + [key], debugDescription: "null is not allowed for this field")
            )
        }
        return try decode(Value.self, forKey: key)
    }
}
