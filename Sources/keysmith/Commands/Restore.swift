import Foundation
import KeysmithSQLite
import KeysmithStore

/// `keysmith restore --from FILE`: puts a backup in place of the database. Refuses while a server has the database
/// open, unless `--force`.
struct Restore: KeysmithCommand {
    static let spec = CommandSpec(
        name: "restore",
        abstract: "Replace the database with a backup made by keysmith backup.",
        discussion: "Stop the server first. With --force the restore goes ahead while it runs; restart it afterwards.",
        options: [
            .database,
            .value("from", "file", help: "The backup file to restore."),
            .flag("force", help: "Restore even though a running Keysmith has the database open."),
        ])

    let database: DatabaseOptions
    let source: String
    let force: Bool

    init(_ options: ParsedOptions) throws {
        database = DatabaseOptions(options)
        guard let source = options.string("from") else { throw UsageError("missing --from <file>") }
        self.source = source
        force = options.flag("force")
    }

    func run() async throws {
        guard FileManager.default.fileExists(atPath: source) else { throw ConfigurationError("no backup at \(source)") }
        let path = try database.sqlitePath(for: "keysmith restore")
        // Held until the restore is done, so no server can start on the file halfway through.
        var lock: DatabaseFileLock?
        var inUse = false
        if FileManager.default.fileExists(atPath: path) {
            lock = try DatabaseFileLock(path: path, mode: .exclusive)
            inUse = lock == nil
            if inUse, !force {
                throw ConfigurationError(
                    "\(path) is in use by a running Keysmith; stop it first, or pass --force to restore anyway")
            }
        }
        let opened = try database.openSQLite()
        defer { try? opened.close() }
        let summary = try await ConfigurationError.reporting("restore") { try await opened.restore(from: source) }
        print("Restored \(path) from \(source): \(summary.line)")
        if inUse {
            print("A running Keysmith still has keys from before the restore in memory: restart it now.")
        }
        withExtendedLifetime(lock) {}
    }
}
