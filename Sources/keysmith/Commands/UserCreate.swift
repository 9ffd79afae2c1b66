import Argon2
import Foundation
import KeysmithCore
import KeysmithSQLite
import KeysmithStore

/// `keysmith user create --email a@b.c --password-stdin`: an account without the browser; the password never
/// appears in argv or shell history.
struct UserCreate: KeysmithCommand {
    static let spec = CommandSpec(
        name: "user create",
        abstract: "Create a console account; the password is read from standard input.",
        options: [
            .database,
            .value("email", "email", help: "Email address of the new account."),
            .flag("password-stdin", help: "Read the password from the first line of standard input."),
        ])

    let database: DatabaseOptions
    let email: String

    init(_ options: ParsedOptions) throws {
        database = DatabaseOptions(options)
        guard let email = options.string("email") else { throw UsageError("missing --email <email>") }
        self.email = email
        guard options.flag("password-stdin") else {
            throw UsageError("pass the password on standard input with --password-stdin")
        }
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

        let hash = try Argon2id().hash(password)
        let opened = try await database.open()
        do {
            let account = try await opened.createAccount(
                email: address, passwordHash: hash, origin: .commandLine, now: Date())
            try? await opened.close()
            print("Created account \(account.email) (id \(account.id ?? 0)).")
        } catch AccountError.emailTaken {
            try? await opened.close()
            throw ConfigurationError("an account with email \(address.value) already exists")
        }
    }
}
