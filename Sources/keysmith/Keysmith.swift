import ArgumentParser
import Foundation

/// `keysmith serve | migrate | user create | backup | restore`. Usage errors and bad configuration print one line and exit 2.
@main
struct Keysmith: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Self-hosted API-key manager.",
        subcommands: [Serve.self, Migrate.self, User.self, Backup.self, Restore.self],
        defaultSubcommand: Serve.self
    )

    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ConfigurationError {
            fail(error.message)
        } catch {
            let code = exitCode(for: error)
            guard code == .validationFailure else { exit(withError: error) }
            fail(message(for: error) + " (see keysmith --help)")
        }
    }

    /// DESIGN §3: one clear line on standard error, exit status 2, no stack trace.
    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("keysmith: \(message)\n".utf8))
        Foundation.exit(2)
    }
}
