import Foundation

/// One of `keysmith serve | migrate | user create | backup | restore`: built from its parsed options, then run.
protocol KeysmithCommand: Sendable {
    static var spec: CommandSpec { get }
    init(_ options: ParsedOptions) throws
    func run() async throws
}

/// Usage errors and bad configuration print one line and exit 2 (DESIGN §3); `--help` prints and exits 0.
@main
enum Keysmith {
    static let commands: [any KeysmithCommand.Type] = [Serve.self, Migrate.self, UserCreate.self, Backup.self, Restore.self]

    static func main() async {
        var arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "help" || arguments.first == "-h" || (arguments.first == "--help") {
            print(HelpText.overview(commands.map { $0.spec }), terminator: "")
            return
        }
        // A command is its first word, or two for `user create`; no command (or only options) means `serve`.
        let command: any KeysmithCommand.Type
        if let first = arguments.first, !first.hasPrefix("-") {
            let twoWords = arguments.prefix(2).joined(separator: " ")
            guard let named = commands.first(where: { $0.spec.name == twoWords || $0.spec.name == first }) else {
                fail("unknown command '\(first)' (see keysmith --help)")
            }
            arguments.removeFirst(named.spec.name.split(separator: " ").count)
            command = named
        } else {
            command = Serve.self
        }
        if arguments.contains("--help") || arguments.contains("-h") {
            print(HelpText.command(command.spec), terminator: "")
            return
        }
        do {
            try await command.init(ParsedOptions(arguments, spec: command.spec)).run()
        } catch let error as UsageError {
            fail(error.message + " (see keysmith \(command.spec.name) --help)")
        } catch let error as ConfigurationError {
            fail(error.message)
        } catch {
            fail("\(error)")
        }
    }

    /// DESIGN §3: one clear line on standard error, exit status 2, no stack trace.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("keysmith: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
