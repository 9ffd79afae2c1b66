/// Errors of the key area; `invalid` carries one human message per field key (DESIGN §6 `fields`).
public enum KeyError: Error, Equatable, Sendable {
    case notFound
    case nameTaken(String)
    case invalid([String: String])
    case cannotActivate(KeyStatus)
    case cannotRotate(KeyStatus)
    case cannotDisable(KeyStatus)
    case cannotEnable(KeyStatus)
}

extension KeyError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notFound: "API key not found"
        case .nameTaken(let name): "A key named “\(name)” already exists"
        case .invalid(let fields): "Invalid fields: " + fields.keys.sorted().joined(separator: ", ")
        case .cannotActivate(let status): "Only a pending key can be activated; this key is \(status.rawValue)"
        case .cannotRotate(let status): "Only an active or disabled key can be rotated; this key is \(status.rawValue)"
        case .cannotDisable(let status): "Only an active key can be disabled; this key is \(status.rawValue)"
        case .cannotEnable(let status): "Only a disabled key can be enabled; this key is \(status.rawValue)"
        }
    }
}
