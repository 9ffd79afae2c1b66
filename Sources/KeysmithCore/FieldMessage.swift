/// A message for one form field, shown next to it; an `Error` so it can travel in a `Result`.
public struct FieldMessage: Error, Equatable, Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public let text: String
    public init(_ text: String) { self.text = text }
    public init(stringLiteral value: String) { self.text = value }
    public var description: String { text }
}
