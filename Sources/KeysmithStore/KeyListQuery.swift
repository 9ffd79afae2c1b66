import Foundation
import KeysmithCore

/// What the key list asks for: a search over name, description, key id and hint (or the key a pasted token names),
/// filters, a sort and a page.
public struct KeyListQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        case created, name, lastUsed = "last_used"
    }

    public var search: String?
    public var environment: KeyEnvironment?
    public var status: KeyStatus?
    public var sort: Sort
    public var page: Int
    public var pageSize: Int

    /// Far beyond any real list; keeps `(page - 1) * pageSize` from overflowing on a hand-made URL.
    public static let maxPage = 100_000

    /// What is searched for: the search without control characters (no name can hold one, and a NUL ends SQLite's
    /// full-text query early) and surrounding spaces; nil when nothing is left.
    public var searchText: String? {
        guard let search else { return nil }
        let scalars = search.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) }
        let text = String(scalars).trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
    }

    /// The key a search for a whole token or key id names (`KeyID(searching:)`): the list shows that key alone.
    public var searchedKeyID: KeyID? { searchText.flatMap(KeyID.init(searching:)) }

    /// True when there is something to search for.
    public var isSearch: Bool { searchText != nil }

    public init(
        search: String? = nil, environment: KeyEnvironment? = nil, status: KeyStatus? = nil, sort: Sort = .created, page: Int = 1,
        pageSize: Int = 25
    ) {
        self.search = search
        self.environment = environment
        self.status = status
        self.sort = sort
        self.page = min(max(1, page), Self.maxPage)
        self.pageSize = min(max(1, pageSize), 100)
    }
}
