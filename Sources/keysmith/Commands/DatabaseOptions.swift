import Foundation
import KeysmithSQLite
import KeysmithStore

/// `--db`, shared by every command that opens the database.
struct DatabaseOptions {
    let path: String?

    init(_ options: ParsedOptions) { path = options.string(OptionSpec.database.name) }

    var resolvedPath: String { path ?? EnvironmentSettings.string("KEYSMITH_DB") ?? "data/keysmith.sqlite" }

    /// Creates the folder when needed, opens and migrates; any failure is one readable line.
    func open() throws -> SQLiteStore {
        let path = resolvedPath
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return try SQLiteStore.open(path: path)
        } catch {
            throw ConfigurationError("cannot open database \(path): \(Self.reason(error))")
        }
    }

    private static func reason(_ error: any Error) -> String {
        let text = (error as NSError).localizedFailureReason ?? "\(error)"
        return text.split(separator: "\n").first.map(String.init) ?? text
    }
}
