/// A public key id, `<prefix>_<env>_<16 base62>`: fixed shape, so a token splits into id and secret without a lookup.
public struct KeyID: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public let environment: KeyEnvironment

    /// Random base62 digits after the environment (≈ 95 bits).
    public static let randomLength = 16

    public init(_ text: String) throws(TokenError) {
        var text = text
        let environment = text.withUTF8 { bytes in
            Self.scan(bytes).flatMap { $0.length == bytes.count ? $0.environment : nil }
        }
        guard let environment else { throw .malformed }
        self.init(unchecked: text, environment: environment)
    }

    init(unchecked value: String, environment: KeyEnvironment) {
        self.value = value
        self.environment = environment
    }

    /// A fresh id from the system CSPRNG.
    public static func generate(prefix: KeyPrefix, environment: KeyEnvironment) -> KeyID {
        var generator = SystemRandomNumberGenerator()
        return generate(prefix: prefix, environment: environment, using: &generator)
    }

    public static func generate(
        prefix: KeyPrefix,
        environment: KeyEnvironment,
        using generator: inout some RandomNumberGenerator
    ) -> KeyID {
        let random = Base62.random(count: randomLength, using: &generator)
        return KeyID(unchecked: "\(prefix.value)_\(environment.rawValue)_\(random)", environment: environment)
    }

    /// The account prefix this id was created with.
    public var prefix: String { String(value.prefix { $0 != "_" }) }

    public var description: String { value }

    /// The key id at the start of `bytes`: its length and environment, or nil if the shape is wrong.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> (length: Int, environment: KeyEnvironment)? {
        let underscore = UInt8(ascii: "_")
        var index = 0
        while index < bytes.count, index <= prefixLength.upperBound,
            bytes[index] >= UInt8(ascii: "a"), bytes[index] <= UInt8(ascii: "z")
        {
            index += 1
        }
        guard prefixLength.contains(index), index < bytes.count, bytes[index] == underscore else {
            return nil
        }
        index += 1
        let environment: KeyEnvironment
        if hasPrefix(bytes, at: index, live) {
            environment = .live
            index += live.count
        } else if hasPrefix(bytes, at: index, sandbox) {
            environment = .sandbox
            index += sandbox.count
        } else {
            return nil
        }
        let end = index + 1 + randomLength
        guard end <= bytes.count, bytes[index] == underscore,
            Base62.isDigits(UnsafeBufferPointer(rebasing: bytes[(index + 1)..<end]))
        else { return nil }
        return (end, environment)
    }

    /// Lowercase ASCII letters, as `KeyPrefix` enforces.
    private static let prefixLength = 2...8
    private static let live = Array("live".utf8)
    private static let sandbox = Array("sandbox".utf8)

    private static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, _ word: [UInt8]) -> Bool {
        index + word.count <= bytes.count && bytes[index..<(index + word.count)].elementsEqual(word)
    }
}

extension KeyID: Comparable {
    public static func < (lhs: KeyID, rhs: KeyID) -> Bool { lhs.value < rhs.value }
}

extension KeyID: Codable {
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
