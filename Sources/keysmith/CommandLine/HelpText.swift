import Foundation

/// `keysmith --help` and `keysmith COMMAND --help`.
enum HelpText {
    static func overview(_ commands: [CommandSpec]) -> String {
        let width = commands.map(\.name.count).max() ?? 0
        let lines = commands.map { "  \($0.name.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.abstract)" }
        return """
            Self-hosted API-key manager.

            USAGE: keysmith <command> [options]   (no command: serve)

            COMMANDS:
            \(lines.joined(separator: "\n"))

            See 'keysmith <command> --help' for a command's options.

            """
    }

    static func command(_ spec: CommandSpec) -> String {
        let usages = spec.options.map { option in
            switch option.kind {
            case .flag: "--\(option.name)"
            case .value(let placeholder, _): "--\(option.name) <\(placeholder)>"
            }
        }
        let width = (usages.map(\.count).max() ?? 0)
        let options = zip(spec.options, usages).map { option, usage in
            "  \(usage.padding(toLength: width, withPad: " ", startingAt: 0))  \(option.help)"
        }
        var text = "\(spec.abstract)\n\nUSAGE: keysmith \(spec.name) [options]\n"
        if let discussion = spec.discussion { text += "\n\(discussion)\n" }
        text +=
            "\nOPTIONS:\n"
            + (options + ["  --help" + String(repeating: " ", count: max(width - 6, 0)) + "  Show this help."])
            .joined(separator: "\n") + "\n"
        return text
    }
}
