/// The fast path for the bodies verification gets, thousands a second: one JSON object whose values are all plain
/// strings, such as `{"token": "ks_live_…"}`. Anything else — another value type, an escape sequence, a repeated
/// key, nesting — is not read here (nil), and goes through `JSONDecoder` with its exact error answers.
enum FlatJSONObject {
    static func strings(in bytes: some Collection<UInt8>) -> [String: String]? {
        var reader = Reader(bytes: Array(bytes))
        var fields: [String: String] = [:]
        reader.skipWhitespace()
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        reader.skipWhitespace()
        if reader.take(UInt8(ascii: "}")) { return reader.atEndAfterWhitespace ? fields : nil }
        repeat {
            reader.skipWhitespace()
            guard let key = reader.plainString() else { return nil }
            reader.skipWhitespace()
            guard reader.take(UInt8(ascii: ":")) else { return nil }
            reader.skipWhitespace()
            guard let value = reader.plainString(), fields.updateValue(value, forKey: key) == nil else { return nil }
            reader.skipWhitespace()
        } while reader.take(UInt8(ascii: ","))
        guard reader.take(UInt8(ascii: "}")), reader.atEndAfterWhitespace else { return nil }
        return fields
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        var atEndAfterWhitespace: Bool {
            mutating get {
                skipWhitespace()
                return index == bytes.count
            }
        }

        /// A string without escapes or control characters; nil for anything else (left to `JSONDecoder`).
        mutating func plainString() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    defer { index += 1 }
                    return String(validating: bytes[start..<index], as: UTF8.self)
                case UInt8(ascii: "\\"), 0..<0x20: return nil
                default: index += 1
                }
            }
            return nil
        }
    }
}

/// A request body that can be built from a flat object of strings, skipping `JSONDecoder` (see `FlatJSONObject`).
protocol FlatJSONDecodable: Decodable {
    init(strings: [String: String])
}
