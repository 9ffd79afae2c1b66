import Foundation
import KeysmithCore

/// Shared values for the key tests: a fixed clock, a well-formed key id and a token whose checksum was computed
/// independently (Python's `zlib.crc32`).
enum KeysFixture {
    static let now = date("2026-01-15T12:00:00Z")

    static let keyIDText = "ks_live_0123456789ABCDEF"
    static let secretText = "abcdefghijklmnopqrstuvwxyz012345" + "3QBKnQ"
    static let tokenText = keyIDText + "_" + secretText
    /// 24+ printable characters with underscores, so splitting must rely on the key id's fixed shape.
    static let customSecret = "my_custom-secret_value!#42"

    static var keyID: KeyID {
        get throws { try KeyID(keyIDText) }
    }

    /// An RFC 3339 instant via Foundation, as an oracle independent of Keysmith's own parser.
    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { fatalError("bad fixture date \(text)") }
        return date
    }
}
