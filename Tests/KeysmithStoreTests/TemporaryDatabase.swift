import Foundation
import KeysmithSQLite
import KeysmithStore

/// A real SQLite file in a fresh temporary folder, removed when the test ends.
struct TemporaryDatabase {
    let folder: URL
    let path: String

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("keysmith-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("keysmith.sqlite").path
    }

    func open() throws -> SQLiteStore { try SQLiteStore.open(path: path) }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}
