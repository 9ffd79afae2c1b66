/// The scopes a key holds: valid, unique, sorted, at most 50.
public struct ScopeSet: Hashable, Sendable, CustomStringConvertible {
    public let scopes: [Scope]

    public static let maxCount = 50
    public static let empty = ScopeSet(unchecked: [])

    private init(unchecked scopes: [Scope]) { self.scopes = scopes }

    /// Builds a set from already valid scopes (such as `Scope.all`); nil if there are more than 50.
    public init?(_ scopes: some Sequence<Scope>) {
        let unique = Set(scopes).sorted()
        guard unique.count <= Self.maxCount else { return nil }
        self.scopes = unique
    }

    /// One scope per element (JSON array); blank elements are skipped, duplicates merged.
    public static func parse(_ texts: [String]) -> Result<ScopeSet, FieldMessage> {
        var scopes: Set<Scope> = []
        var rejected: [String] = []
        for text in texts where !text.trimmingWhitespace().isEmpty {
            switch Scope.parse(text) {
            case .success(let scope): scopes.insert(scope)
            case .failure: rejected.append(text.trimmingWhitespace())
            }
        }
        guard rejected.isEmpty else { return .failure(rejection(of: rejected)) }
        guard scopes.count <= maxCount else {
            return .failure(FieldMessage("Use at most \(maxCount) scopes (found \(scopes.count))."))
        }
        return .success(ScopeSet(unchecked: scopes.sorted()))
    }

    /// One message naming every rejected scope (the first five, then a count) and stating the rule once.
    private static func rejection(of rejected: [String]) -> FieldMessage {
        let unique = rejected.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        guard unique.count > 1 else { return FieldMessage("“\(unique[0])” is not a scope; \(Scope.syntaxRule)") }
        let shown = unique.prefix(5).map { "“\($0)”" }
        let list =
            unique.count > 5
            ? shown.joined(separator: ", ") + " and \(unique.count - 5) more"
            : shown.dropLast().joined(separator: ", ") + " and " + (shown.last ?? "")
        return FieldMessage("\(list) are not scopes; \(Scope.syntaxRule)")
    }

    /// Scopes separated by commas, spaces or new lines (console text field).
    public static func parse(text: String) -> Result<ScopeSet, FieldMessage> {
        parse(text.split { $0 == "," || $0.isWhitespace }.map(String.init))
    }

    /// Whether any held scope grants `required`.
    public func grants(_ required: Scope) -> Bool {
        scopes.contains { $0.grants(required) }
    }

    /// The requested scopes this set does not grant; a key may only hand out scopes it holds.
    public func missing(_ requested: ScopeSet) -> [Scope] {
        requested.scopes.filter { !grants($0) }
    }

    /// Whether every requested scope is granted by this set.
    public func covers(_ requested: ScopeSet) -> Bool {
        missing(requested).isEmpty
    }

    public var isEmpty: Bool { scopes.isEmpty }

    /// Comma-separated, as rendered in `${key.scopes}` and shown in lists.
    public var description: String { scopes.map(\.value).joined(separator: ",") }
}

extension ScopeSet: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        switch Self.parse(try container.decode([String].self)) {
        case .success(let set): self = set
        case .failure(let message): throw DecodingError.dataCorruptedError(in: container, debugDescription: message.text)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(scopes.map(\.value))
    }
}
