import Argon2
import ArgumentParser
import Foundation
import KeysmithCore
import KeysmithStore

/// `keysmith user …`: account administration without the browser.
struct User: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Manage console accounts.", subcommands: [Create.self])

    /// `keysmith user create --email a@b.c --password-stdin`: the password never appears in argv or shell history.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an account; the password is read from standard input.")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "Email address of the new account.")
        var email: String

        @Flag(help: "Read the password from the first line of standard input.")
        var passwordStdin = false

        func validate() throws {
            guard passwordStdin else { throw ValidationError("pass the password on standard input with --password-stdin") }
        }

        func run() async throws {
            let address: EmailAddress
            switch EmailAddress.parse(email) {
            case .success(let parsed): address = parsed
            case .failure(let message): throw ConfigurationError("--email: \(message.text)")
            }
            guard let password = readLine(strippingNewline: true), !password.isEmpty else {
                throw ConfigurationError("no password on standard input")
            }
            if let message = PasswordPolicy.check(password, email: address) {
                throw ConfigurationError("password: \(message.text)")
            }

            let opened = try database.open()
            defer { try? opened.close() }
            let hash = try Argon2id().hash(password)
            do {
                let account = try await opened.createAccount(
                    email: address, passwordHash: hash, origin: .commandLine, now: Date())
                print("Created account \(account.email) (id \(account.id ?? 0)).")
            } catch AccountError.emailTaken {
                throw ConfigurationError("an account with email \(address.value) already exists")
            }
        }
    }
}
