import KeysmithSQLite
import KeysmithStore

/// A setting that cannot work (bad environment value, unwritable database, missing templates), said in one line.
struct ConfigurationError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension ConfigurationError {
    /// Runs a database copy (backup, restore) so that whatever goes wrong is one line: the copy's own reason, or
    /// "could not `action`: …".
    static func reporting<T>(_ action: String, _ copy: () async throws -> T) async throws -> T {
        do {
            return try await copy()
        } catch let error as SQLiteStore.CopyError {
            throw ConfigurationError("\(error)")
        } catch {
            throw ConfigurationError("could not \(action): \(error)")
        }
    }
}
