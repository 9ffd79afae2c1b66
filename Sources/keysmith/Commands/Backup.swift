import Foundation
import KeysmithSQLite
import KeysmithStore

/// `keysmith backup --to FILE`: a consistent copy of the database, taken while the server keeps running.
struct Backup: KeysmithCommand {
    static let spec = CommandSpec(
        name: "backup",
        abstract: "Copy the database to a new file while the server keeps running.",
        discussion: "The copy holds every key hash, session hash and audit entry: store it as carefully as the database.",
        options: [.database, .value("to", "file", help: "The new file to write (must not exist yet).")])

    let database: DatabaseOptions
    let destination: String

    init(_ options: ParsedOptions) throws {
        database = DatabaseOptions(options)
        guard let destination = options.string("to") else { throw UsageError("missing --to <file>") }
        self.destination = destination
    }

    func run() async throws {
        let path = try database.sqlitePath(for: "keysmith backup")
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError("no database at \(path) to back up")
        }
        let opened = try database.openSQLite()
        defer { try? opened.close() }
        let started = ContinuousClock.now
        let summary = try await ConfigurationError.reporting("back up") { try await opened.backup(to: destination) }
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        print("Backed up \(path) to \(destination) in \(milliseconds) ms: \(summary.line)")
    }
}

extension SQLiteStore.CopySummary {
    var line: String {
        "\(keys) keys, \(users) users, \(auditEntries) audit entries, \(bytes / 1024) KiB."
    }
}
