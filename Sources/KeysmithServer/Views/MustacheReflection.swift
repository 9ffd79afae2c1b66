import Mustache

/// A page model reflected once, eagerly, into nested dictionaries-by-another-name.
///
/// swift-mustache resolves every `{{name}}` with a fresh `Mirror` of each object on the context stack; a 25-row key
/// list made thousands of them (74 % of the request in a profile). Reflecting each value once and answering lookups
/// from a dictionary keeps templates and page models exactly as they are.
struct MustacheReflection: MustacheParent {
    private let children: [String: Any]

    private init(_ mirror: Mirror) {
        var children: [String: Any] = [:]
        for child in mirror.children {
            guard let label = child.label else { continue }
            if let value = Self.wrap(child.value) { children[label] = value }
        }
        self.children = children
    }

    func child(named name: String) -> Any? { children[name] }

    /// Structs become reflections, arrays arrays of wrapped elements, optionals their value or nothing;
    /// strings, numbers, booleans and dictionaries stay as Mustache knows them.
    static func wrap(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.flatMap { wrap($0.value) }
        case .struct, .class: return MustacheReflection(mirror)
        case .collection: return mirror.children.compactMap { wrap($0.value) }
        default: return value
        }
    }
}
