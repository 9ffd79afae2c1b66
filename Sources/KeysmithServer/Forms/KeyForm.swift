import Foundation
import KeysmithCore
import KeysmithStore

/// The create/edit key form as typed: turned into a `KeyDraft` for validation, and shown again unchanged
/// when validation fails (except the secret, which is never echoed).
struct KeyForm: Sendable {
    /// Expiry menu choices; `date` uses `expiresOn` from the date picker. `keep` (edit only) leaves the stored expiry
    /// untouched, so the draft validates as if there were none.
    static let expiryChoices = ["never", "30d", "90d", "1y", "date"]
    static let keepExpiry = "keep"
    /// Header rows a form always offers, so several headers can be added without JavaScript.
    static let blankHeaderRows = 3

    var name = ""
    var description = ""
    var environment = KeyEnvironment.live.rawValue
    var ownerType = OwnerType.personal.rawValue
    /// Repeated `scope` fields, as a script or a checkbox group may send them; the form itself has one text field.
    var scopes: [String] = []
    var extraScopes = ""
    var tokenType = TokenType.generated.rawValue
    var secret = ""
    var expiry = "never"
    var expiresOn = ""
    var ipAllowlist = ""
    var rateLimit = ""
    var rateLimitWindow = RateLimitWindow.minute.rawValue
    var quota = ""
    var quotaMonthlyRefill = false
    var headers: [ResponseHeaderDraft] = []
    var meta = ""
    var activate = true

    init() {}

    init(_ fields: FormFields) {
        name = fields["name"] ?? ""
        description = fields["description"] ?? ""
        environment = fields["environment"] ?? environment
        ownerType = fields["owner_type"] ?? ownerType
        scopes = fields.all("scope")
        extraScopes = fields["extra_scopes"] ?? ""
        tokenType = fields["token_type"] ?? tokenType
        secret = fields["secret"] ?? ""
        expiry = fields["expiry"] ?? expiry
        expiresOn = fields["expires_on"] ?? ""
        ipAllowlist = fields["ip_allowlist"] ?? ""
        rateLimit = fields["rate_limit"] ?? ""
        rateLimitWindow = fields["rate_limit_window"] ?? rateLimitWindow
        quota = fields["quota"] ?? ""
        quotaMonthlyRefill = fields.isOn("quota_refill")
        meta = fields["meta"] ?? ""
        activate = fields.isOn("activate")
        let excluded = Set(fields.all("header_exclude"))
        headers = zip(fields.all("header_name"), fields.all("header_value")).enumerated().map { index, row in
            ResponseHeaderDraft(name: row.0, value: row.1, exclude: excluded.contains(String(index)))
        }
    }

    /// The form pre-filled from a stored key, for editing.
    init(_ key: APIKey) {
        name = key.name
        description = key.description
        environment = key.environment.rawValue
        ownerType = key.ownerType.rawValue
        // A project key's scopes are its own API's (DESIGN §11): all of them are typed, none offered by Keysmith.
        extraScopes = key.scopes.scopes.map(\.value).joined(separator: " ")
        tokenType = key.tokenType.rawValue
        if let expiresAt = key.expiresAt {
            expiry = Self.keepExpiry
            expiresOn = expiresAt.formatted(.iso8601.year().month().day())
        }
        ipAllowlist = key.ipAllowlist.text
        rateLimit = key.rateLimit.map { String($0.limit) } ?? ""
        rateLimitWindow = key.rateLimit?.window.rawValue ?? rateLimitWindow
        quota = key.quota.map { String($0.remaining) } ?? ""
        quotaMonthlyRefill = key.quota?.refill == .monthly
        headers = key.responseHeaders.map(\.draft)
        meta = key.meta.object.isEmpty ? "" : key.meta.json
        activate = false
    }

    var keepsExpiry: Bool { expiry == Self.keepExpiry }

    /// The draft the domain validates. Scopes come from the checkboxes plus the free-form field.
    var draft: KeyDraft {
        let extra = extraScopes.split(whereSeparator: { $0 == " " || $0 == "," || $0.isNewline }).map(String.init)
        let lines = ipAllowlist.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return KeyDraft(
            name: name, description: description, environment: environment, ownerType: ownerType, scopes: scopes + extra,
            tokenType: tokenType, secret: tokenType == TokenType.custom.rawValue ? secret : nil,
            expiresAt: expiry == "date" ? expiresOn : nil,
            ttl: expiry == "date" || expiry == Self.keepExpiry ? nil : expiry,
            ipAllowlist: lines, rateLimit: rateLimit, rateLimitWindow: rateLimitWindow, quota: quota,
            quotaRefill: quotaMonthlyRefill ? QuotaRefill.monthly.rawValue : nil, responseHeaders: headers, meta: meta
        )
    }
}
