import KeysmithCore

/// One cell choice of the key form's resource × access grid. "Write" includes read, as on Stripe's restricted keys:
/// a key that may change orders but not see them is rarely what anyone means; anything else is typed as free text.
enum ScopeAccess: String, CaseIterable, Sendable {
    case none, read, write

    /// The scopes this access gives on `resource`.
    func scopes(on resource: String) -> [String] {
        switch self {
        case .none: []
        case .read: ["\(resource):read"]
        case .write: ["\(resource):read", "\(resource):write"]
        }
    }

    /// Resources that some scope names with `:read` or `:write`, sorted: the grid's rows.
    static func resources(in scopes: [String]) -> [String] {
        Set(
            scopes.compactMap { scope in
                let parts = scope.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, parts[1] == "read" || parts[1] == "write" else { return nil }
                return String(parts[0])
            }
        ).sorted()
    }

    /// A key's scopes as grid cells plus the rest, which the grid cannot say (`orders:*`, `orders:refund`, a write
    /// without read, `*`) and which therefore stays free text.
    static func split(_ scopes: [String]) -> (grid: [(resource: String, access: ScopeAccess)], rest: [String]) {
        let held = Set(scopes)
        var grid: [(resource: String, access: ScopeAccess)] = []
        var covered: Set<String> = []
        for resource in resources(in: scopes) where held.contains("\(resource):read") {
            let access: ScopeAccess = held.contains("\(resource):write") ? .write : .read
            grid.append((resource, access))
            covered.formUnion(access.scopes(on: resource))
        }
        return (grid, scopes.filter { !covered.contains($0) })
    }
}
