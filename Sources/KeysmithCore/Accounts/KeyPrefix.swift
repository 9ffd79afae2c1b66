/// The account's token prefix (`ks` in `ks_live_…`): 2–8 lowercase ASCII letters, so tokens stay greppable.
public struct KeyPrefix: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public static let `default` = KeyPrefix(value: "ks")

    public static func parse(_ text: String) -> Result<KeyPrefix, FieldMessage> {
        let trimmed = text.trimmingWhitespace()
        guard (2...8).contains(trimmed.utf8.count),
            trimmed.utf8.allSatisfy({ (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
        else {
            return .failure("Use 2 to 8 lowercase letters (a–z), for example “ks” or “acme”.")
        }
        return .success(KeyPrefix(value: trimmed))
    }

    public init(unchecked value: String) { self.value = value }
    private init(value: String) { self.value = value }

    public var description: String { value }
}
