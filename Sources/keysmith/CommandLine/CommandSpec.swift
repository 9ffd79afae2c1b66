/// What one command accepts, which is all its parser and its `--help` need. Keysmith's commands take only named
/// options, so a few lines do what a command-line framework would, without a framework in every first build.
struct CommandSpec: Sendable {
    let name: String
    let abstract: String
    var discussion: String? = nil
    var options: [OptionSpec] = []
}

struct OptionSpec: Sendable {
    enum Kind: Sendable {
        /// `--name VALUE` or `--name=VALUE`; the last one given wins unless `repeatable`.
        case value(placeholder: String, repeatable: Bool = false)
        /// `--name`, no value.
        case flag
    }

    let name: String
    let kind: Kind
    let help: String

    static func value(_ name: String, _ placeholder: String, repeatable: Bool = false, help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .value(placeholder: placeholder, repeatable: repeatable), help: help)
    }

    static func flag(_ name: String, help: String) -> OptionSpec {
        OptionSpec(name: name, kind: .flag, help: help)
    }

    /// `--db`, shared by every command that opens the database.
    static let database = value(
        "db", "path", help: "SQLite database file (env KEYSMITH_DB, default data/keysmith.sqlite).")
}

/// A command line that cannot be run as written: one line, exit status 2 (DESIGN §3).
struct UsageError: Error, Equatable {
    let message: String
    init(_ message: String) { self.message = message }
}

/// The options a command line gave, by name.
struct ParsedOptions: Sendable {
    private var values: [String: [String]] = [:]
    private var flags: Set<String> = []

    /// Reads `arguments` against `spec`: unknown options, missing values and stray words are usage errors.
    init(_ arguments: some Sequence<String>, spec: CommandSpec) throws(UsageError) {
        var remaining = arguments.makeIterator()
        while let argument = remaining.next() {
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw UsageError("unexpected argument '\(argument)' for keysmith \(spec.name)")
            }
            let text = argument.dropFirst(2)
            let name = String(text.prefix { $0 != "=" })
            let inlineValue = text.firstIndex(of: "=").map { String(text[text.index(after: $0)...]) }
            guard let option = spec.options.first(where: { $0.name == name }) else {
                throw UsageError("unknown option '--\(name)' for keysmith \(spec.name)")
            }
            switch option.kind {
            case .flag:
                guard inlineValue == nil else { throw UsageError("--\(name) takes no value") }
                flags.insert(name)
            case .value(let placeholder, let repeatable):
                guard let value = inlineValue ?? remaining.next(), inlineValue != nil || !value.hasPrefix("--") else {
                    throw UsageError("--\(name) needs a value (--\(name) <\(placeholder)>)")
                }
                values[name] = repeatable ? (values[name] ?? []) + [value] : [value]
            }
        }
    }

    func string(_ name: String) -> String? { values[name]?.last }

    func strings(_ name: String) -> [String] { values[name] ?? [] }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func int(_ name: String) throws(UsageError) -> Int? {
        guard let text = string(name) else { return nil }
        guard let number = Int(text) else { throw UsageError("--\(name) must be a whole number, not '\(text)'") }
        return number
    }
}
