import KeysmithCore
import Synchronization

/// Shares one string per project and workspace id among the keys read from the store. Every key row carries both
/// ids (longer than Swift's 15-byte inline strings), and the verification cache holds up to 100,000 keys: without
/// this, each cached key kept two heap strings of its own (about 20 MB at 100,000 keys).
public enum IDInterner {
    private static let table = Mutex<[String: String]>([:])
    /// Far more projects than any install has; past it, ids are simply not shared.
    private static let capacity = 10_000

    public static func project(_ id: ProjectID) -> ProjectID { ProjectID(unchecked: shared(id.value)) }
    public static func workspace(_ id: WorkspaceID) -> WorkspaceID { WorkspaceID(unchecked: shared(id.value)) }

    private static func shared(_ text: String) -> String {
        table.withLock { table in
            if let existing = table[text] { return existing }
            if table.count < capacity { table[text] = text }
            return text
        }
    }
}
