import Foundation

/// A key's free-form metadata: a JSON object of at most 4096 bytes in its compact, sorted-keys encoding (`json`).
public struct KeyMetadata: Hashable, Sendable {
    public let object: [String: JSONValue]
    /// Compact JSON with sorted keys: what is stored and what the size limit measures.
    public let json: String

    public static let maxBytes = 4096
    public static let empty = KeyMetadata(object: [:], json: "{}")

    private init(object: [String: JSONValue], json: String) {
        self.object = object
        self.json = json
    }

    /// From a form's textarea or a stored column; empty text is the empty object.
    public static func parse(json text: String) -> Result<KeyMetadata, FieldMessage> {
        // Most keys have none: every row a list reads would otherwise pay for a JSONDecoder.
        guard text != "{}", !text.trimmingWhitespace().isEmpty else { return .success(.empty) }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
            return .failure("Enter valid JSON, such as {\"team\": \"billing\"}.")
        }
        return parse(value)
    }

    /// From a decoded JSON body's `meta`; `null` is the empty object.
    public static func parse(_ value: JSONValue) -> Result<KeyMetadata, FieldMessage> {
        let object: [String: JSONValue]
        switch value {
        case .null: return .success(.empty)
        case .object(let dictionary): object = dictionary
        default: return .failure("Metadata must be a JSON object, such as {\"team\": \"billing\"}.")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(object) else {
            return .failure("Metadata must be plain JSON (numbers must be finite).")
        }
        guard data.count <= maxBytes else {
            return .failure(FieldMessage("Metadata is \(data.count) bytes; the limit is \(maxBytes)."))
        }
        return .success(KeyMetadata(object: object, json: String(decoding: data, as: UTF8.self)))
    }

    public var isEmpty: Bool { object.isEmpty }
}

extension KeyMetadata: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        switch Self.parse(try container.decode(JSONValue.self)) {
        case .success(let metadata): self = metadata
        case .failure(let message): throw DecodingError.dataCorruptedError(in: container, debugDescription: message.text)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(object)
    }
}
