/// A PATCH field: left out (keep), `null` (clear) or a new value.
enum Patch<Value: Decodable & Sendable>: Sendable {
    case absent
    case null
    case value(Value)
}

extension KeyedDecodingContainer {
    /// `nullable` fields accept `null` (clear it); for the others `null` is a validation error, as documented.
    func decodePatch<Value: Decodable & Sendable>(_ type: Value.Type, forKey key: Key, nullable: Bool = false) throws -> Patch<
        Value
    > {
        guard contains(key) else { return .absent }
        if nullable, try decodeNil(forKey: key) { return .null }
        return .value(try decodeIfPresentNotNull(Value.self, forKey: key) ?? decode(Value.self, forKey: key))
    }
}

extension Patch {
    func map<Other>(_ transform: (Value) -> Other) -> Patch<Other> {
        switch self {
        case .absent: .absent
        case .null: .null
        case .value(let value): .value(transform(value))
        }
    }
}
