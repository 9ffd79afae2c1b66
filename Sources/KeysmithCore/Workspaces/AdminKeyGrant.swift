import Foundation

/// What an admin key may reach: its permissions, its projects (nil = every project of the workspace), until when,
/// and from where. DESIGN §8: a key can only hand out — or keep for itself — a subset of what it has.
public struct AdminKeyGrant: Hashable, Sendable {
    public var permissions: Set<AdminPermission>
    public var projects: Set<ProjectID>?
    public var expiresAt: Date?
    public var ipAllowlist: IPAllowlist

    public init(permissions: Set<AdminPermission>, projects: Set<ProjectID>?, expiresAt: Date?, ipAllowlist: IPAllowlist) {
        self.permissions = permissions
        self.projects = projects
        self.expiresAt = expiresAt
        self.ipAllowlist = ipAllowlist
    }

    public func allows(_ permission: AdminPermission) -> Bool { permissions.contains(permission) }

    public func reaches(_ project: ProjectID) -> Bool { projects?.contains(project) ?? true }

    /// Why `other` is not within this grant, by field (empty when it is): permissions and projects a subset, an
    /// expiry no later, an allowlist no wider. An admin key may create or become only such a grant.
    public func excess(of other: AdminKeyGrant) -> [String: String] {
        var problems: [String: String] = [:]
        let extra = other.permissions.subtracting(permissions)
        if !extra.isEmpty {
            problems["permissions"] =
                "An admin key cannot grant permissions it does not hold: \(extra.sorted().map(\.rawValue).joined(separator: ", "))."
        }
        if let projects {
            if let wanted = other.projects {
                let outside = wanted.subtracting(projects)
                if !outside.isEmpty {
                    problems["projects"] =
                        "An admin key cannot reach projects it cannot reach itself: \(outside.sorted().map(\.value).joined(separator: ", "))."
                }
            } else {
                problems["projects"] = "This admin key reaches only some projects; list them (at most its own)."
            }
        }
        if let expiresAt, other.expiresAt.map({ $0 > expiresAt }) ?? true {
            problems["expiresAt"] =
                "An admin key cannot outlive the admin key that grants it; expire it by \(RFC3339.string(from: expiresAt))."
        }
        if !ipAllowlist.isEmpty, !other.ipAllowlist.isWithin(ipAllowlist) {
            problems["ipAllowlist"] =
                "An admin key's allowlist can only narrow its grantor's: use entries inside \(ipAllowlist.entries.joined(separator: ", "))."
        }
        return problems
    }
}

extension IPAllowlist {
    /// Whether every address this list admits, `outer` admits too (an empty list admits any address).
    public func isWithin(_ outer: IPAllowlist) -> Bool {
        if outer.isEmpty { return true }
        if isEmpty { return false }
        return ranges.allSatisfy { range in outer.ranges.contains { $0.covers(range) } }
    }
}

extension IPRange {
    /// Whether every address of `inner` is in this range. Lengths compare in IPv6 terms, where IPv4 is the mapped
    /// block `::ffff:0:0/96`.
    public func covers(_ inner: IPRange) -> Bool {
        guard contains(inner.address) else { return false }
        return inner.mappedPrefixLength >= mappedPrefixLength
    }

    private var mappedPrefixLength: Int {
        if case .v4 = address { prefixLength + 96 } else { prefixLength }
    }
}
