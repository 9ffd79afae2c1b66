import ArgumentParser
import KeysmithStore

/// `keysmith migrate`: brings the database schema up to date and exits.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or upgrade the database schema.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let opened = try database.open()
        try opened.close()
        print("Database \(database.resolvedPath) is up to date.")
    }
}
