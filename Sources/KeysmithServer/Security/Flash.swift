/// A one-time message shown on the page after a redirect ("Password changed").
struct Flash: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable {
        case success, error, info
    }

    let kind: Kind
    let message: String

    static func success(_ message: String) -> Flash { Flash(kind: .success, message: message) }
    static func info(_ message: String) -> Flash { Flash(kind: .info, message: message) }
    static func error(_ message: String) -> Flash { Flash(kind: .error, message: message) }
}
