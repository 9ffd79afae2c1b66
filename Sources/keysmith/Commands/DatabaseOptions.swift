import Foundation
import KeysmithSQLite
import KeysmithStore
import Logging

#if PostgreSQL
    import KeysmithPostgres
#endif

/// `--db`, shared by every command that opens the database: an SQLite file (the default, `data/keysmith.sqlite`) or
/// a `postgres://` URL (DESIGN §9), also read from `KEYSMITH_DB`.
struct DatabaseOptions {
    let given: String?

    init(_ options: ParsedOptions) { given = options.string(OptionSpec.database.name) }

    /// What `--db` or `KEYSMITH_DB` says, else the embedded default.
    var resolved: String { given ?? EnvironmentSettings.string("KEYSMITH_DB") ?? "data/keysmith.sqlite" }

    var isPostgres: Bool { Self.isPostgresURL(resolved) }

    /// For messages: the SQLite path, or the URL without its password.
    var displayName: String {
        guard isPostgres, let url = URLComponents(string: resolved) else { return resolved }
        return "postgres://\(url.user ?? "")@\(url.host ?? ""):\(url.port ?? 5432)\(url.path)"
    }

    /// The SQLite file, for what only a file has (backups, restores, the in-use lock); a URL is a usage error.
    func sqlitePath(for command: String) throws -> String {
        guard !isPostgres else {
            throw ConfigurationError(
                "\(command) works on the SQLite file; for PostgreSQL use pg_dump and pg_restore, which copy the same data")
        }
        return resolved
    }

    /// Opens and migrates the store `--db` names; any failure is one readable line.
    func open(logger: Logger = Logger(label: "keysmith")) async throws -> any Store {
        guard isPostgres else { return try openSQLite() }
        #if PostgreSQL
            do {
                return try await PostgresStore.connect(to: PostgresLocation(url: resolved), logger: logger)
            } catch let error as PostgresLocation.ParseError {
                throw ConfigurationError("--db: \(error)")
            } catch {
                throw ConfigurationError("cannot open database \(displayName): \(Self.reason(error))")
            }
        #else
            throw ConfigurationError(
                "this keysmith was built without PostgreSQL; build it with `swift build -c release --traits PostgreSQL` (README: Running several nodes)"
            )
        #endif
    }

    /// Creates the folder when needed, opens and migrates the SQLite file.
    func openSQLite() throws -> SQLiteStore {
        let path = resolved
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return try SQLiteStore.open(path: path)
        } catch {
            throw ConfigurationError("cannot open database \(path): \(Self.reason(error))")
        }
    }

    private static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    private static func reason(_ error: any Error) -> String {
        let text = (error as NSError).localizedFailureReason ?? String(reflecting: error)
        return text.split(separator: "\n").first.map(String.init) ?? text
    }
}
