import Foundation
import GRDB
import KeysmithCore
import KeysmithStore

extension SQLiteStore {
    /// Every scope some key of the project holds, sorted: what the key form offers as its resource × access grid,
    /// since Keysmith does not know a project's API and its keys are the best record of the scopes in use.
    public func scopesInUse(projectID: ProjectID) async throws -> [Scope] {
        try await writer.read { db in
            // `scopes` is a JSON array column (the record's Codable encoding); only the column is read, not the rows.
            let columns = try String.fetchAll(
                db, sql: "SELECT scopes FROM apiKey WHERE projectId = ?", arguments: [projectID.value])
            let decoder = JSONDecoder()
            let texts = columns.flatMap { (try? decoder.decode([String].self, from: Data($0.utf8))) ?? [] }
            return Set(texts.compactMap { try? Scope.parse($0).get() }).sorted()
        }
    }
}
