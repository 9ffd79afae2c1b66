/// A response header as typed into the form or sent as JSON, before `ResponseHeaderTemplate.parse` checks it.
public struct ResponseHeaderDraft: Hashable, Sendable, Codable {
    public var name: String
    public var value: String
    public var exclude: Bool

    public init(name: String, value: String, exclude: Bool = false) {
        self.name = name
        self.value = value
        self.exclude = exclude
    }
}
