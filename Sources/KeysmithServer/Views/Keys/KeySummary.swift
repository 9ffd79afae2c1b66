import Foundation
import KeysmithCore
import KeysmithStore

/// A key as list rows and the detail page show it: never the secret, only the hint.
struct KeySummary: Sendable {
    let id: String
    let url: String
    let name: String
    let description: String
    /// The description for a one-line list cell; nil when there is none, so the cell shows nothing extra.
    let descriptionLine: String?
    let hint: String
    /// The secret's last four characters as the hint has them ("…wX9a"), to match a token against its key; nil while
    /// the key has no secret yet.
    let secretTail: String?
    let environment: String
    let status: String
    let statusLabel: String
    /// Disabled or expired: requests with it fail, so the list dims it.
    let isInactive: Bool
    let scopes: [String]
    let moreScopes: String?
    /// Every scope, for the title of a list cell that shows only the first few.
    let allScopes: String
    let created: DisplayDate
    let expires: DisplayDate?
    let lastUsed: DisplayDate?
    let lastUsedIp: String?

    init(_ key: APIKey, now: Date, scopeLimit: Int = 2) {
        let effective = key.effectiveStatus(now: now)
        id = key.id.value
        url = SiteURL.key(key.id.value).path
        name = key.name
        description = key.description
        descriptionLine = key.description.isEmpty ? nil : key.description
        hint = key.hint ?? String(key.id.value.prefix(12)) + "…"
        secretTail = key.hint.flatMap { hint in hint.firstIndex(of: "…").map { String(hint[$0...]) } }
        environment = key.environment.rawValue
        status = effective.rawValue
        statusLabel = effective.rawValue.capitalized
        isInactive = effective == .disabled || effective == .expired
        let allScopes = key.scopes.scopes.map(\.value)
        scopes = Array(allScopes.prefix(scopeLimit))
        moreScopes = allScopes.count > scopeLimit ? "+\(allScopes.count - scopeLimit)" : nil
        self.allScopes = allScopes.joined(separator: " ")
        created = DisplayDate(key.createdAt, now: now)
        expires = key.expiresAt.map { DisplayDate($0, now: now) }
        lastUsed = key.lastUsedAt.map { DisplayDate($0, now: now) }
        lastUsedIp = key.lastUsedIP
    }
}
