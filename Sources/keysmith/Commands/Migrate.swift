import KeysmithSQLite
import KeysmithStore

/// `keysmith migrate`: brings the database schema up to date and exits.
struct Migrate: KeysmithCommand {
    static let spec = CommandSpec(name: "migrate", abstract: "Create or upgrade the database schema.", options: [.database])

    let database: DatabaseOptions

    init(_ options: ParsedOptions) { database = DatabaseOptions(options) }

    func run() async throws {
        let opened = try await database.open()
        try await opened.close()
        print("Database \(database.displayName) is up to date.")
    }
}
