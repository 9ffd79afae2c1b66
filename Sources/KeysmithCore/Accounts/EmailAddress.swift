/// A normalized email address: trimmed and lowercased, so `Ann@Example.com ` and `ann@example.com` are one account.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public static let maxLength = 254

    /// Normalizes and checks the shape; returns a message for the form when the text is not an address.
    public static func parse(_ text: String) -> Result<EmailAddress, FieldMessage> {
        let normalized = text.trimmingWhitespace().lowercased()
        guard !normalized.isEmpty else { return .failure("Enter your email address.") }
        guard normalized.unicodeScalars.count <= maxLength else {
            return .failure("Email addresses are at most \(maxLength) characters.")
        }
        let parts = normalized.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
            !local.isEmpty, local.count <= 64,
            domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains(".."),
            normalized.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F && $0 != "<" && $0 != ">" })
        else {
            return .failure("Enter an email address like name@example.com.")
        }
        return .success(EmailAddress(value: normalized))
    }

    public init(unchecked value: String) { self.value = value }
    private init(value: String) { self.value = value }

    public var description: String { value }
}
