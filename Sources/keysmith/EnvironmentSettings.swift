import Foundation

/// Reads `KEYSMITH_*` environment variables; a value that does not parse is a `ConfigurationError`, never ignored.
enum EnvironmentSettings {
    static func string(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    static func int(_ name: String) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw ConfigurationError("\(name)=\(text) is not a whole number") }
        return value
    }

    static func bool(_ name: String) throws -> Bool? {
        guard let text = string(name)?.lowercased() else { return nil }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError("\(name)=\(text) must be 1 or 0")
        }
    }
}
