import Foundation
import KeysmithCore
import KeysmithStore

/// A key as list rows and the detail page show it: never the secret, only the hint.
struct KeySummary: Sendable {
    let id: String
    let url: String
    let name: String
    let description: String
    let hint: String
    let environment: String
    let status: String
    let statusLabel: String
    let scopes: [String]
    let moreScopes: String?
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
        hint = key.hint ?? String(key.id.value.prefix(12)) + "…"
        environment = key.environment.rawValue
        status = effective.rawValue
        statusLabel = effective.rawValue.capitalized
        let allScopes = key.scopes.scopes.map(\.value)
        scopes = Array(allScopes.prefix(scopeLimit))
        moreScopes = allScopes.count > scopeLimit ? "+\(allScopes.count - scopeLimit)" : nil
        created = DisplayDate(key.createdAt, now: now)
        expires = key.expiresAt.map { DisplayDate($0, now: now) }
        lastUsed = key.lastUsedAt.map { DisplayDate($0, now: now) }
        lastUsedIp = key.lastUsedIP
    }
}
