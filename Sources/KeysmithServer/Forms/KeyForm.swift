import Foundation
import KeysmithCore
import KeysmithStore

/// The create/edit key form as typed: turned into a `KeyDraft` for validation, and shown again unchanged
/// when validation fails (except the secret, which is never echoed).
struct KeyForm: Sendable {
    /// Header rows a form always offers, so several headers can be added without JavaScript.
    static let blankHeaderRows = 3
    /// Grid radios are named `scope.<resource>`, valued `none`, `read` or `write`.
    static let gridFieldPrefix = "scope."

    var name = ""
    var description = ""
    var environment = KeyEnvironment.live.rawValue
    var ownerType = OwnerType.personal.rawValue
    /// Repeated `scope` fields, as a script may send them.
    var scopes: [String] = []
    /// The grid's cells as sent (resource, access text), in form order.
    var scopeGrid: [(resource: String, access: String)] = []
    var extraScopes = ""
    var tokenType = TokenType.generated.rawValue
    var secret = ""
    /// An `ExpiryMenu` choice: `never`, a TTL such as `30d`, `date` (uses `expiresOn`) or, on edit, `keep`.
    var expiry = "never"
    var expiresOn = ""
    var ipAllowlist = ""
    var rateLimit = ""
    var rateLimitWindow = RateLimitWindow.minute.rawValue
    var quota = ""
    var quotaMonthlyRefill = false
    var headers: [ResponseHeaderDraft] = []
    var meta = ""
    /// The status a new key starts in (`KeyStatus.initialCases`).
    var status = KeyStatus.active.rawValue

    init() {}

    init(_ fields: FormFields) {
        name = fields["name"] ?? ""
        description = fields["description"] ?? ""
        environment = fields["environment"] ?? environment
        ownerType = fields["owner_type"] ?? ownerType
        scopes = fields.all("scope")
        scopeGrid = fields.all(prefixed: Self.gridFieldPrefix).map { ($0.name, $0.value) }
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
        // Older forms and scripts send an `activate` checkbox instead of the status radios.
        status = fields["status"] ?? (fields.isOn("activate") ? KeyStatus.active : KeyStatus.pending).rawValue
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
        let (grid, rest) = ScopeAccess.split(key.scopes.scopes.map(\.value))
        scopeGrid = grid.map { ($0.resource, $0.access.rawValue) }
        extraScopes = rest.joined(separator: " ")
        tokenType = key.tokenType.rawValue
        // The stored expiry is kept unless another is chosen; the date picker starts empty, since a date sent with
        // "Keep" would be refused (`ExpiryMenu`).
        if key.expiresAt != nil { expiry = ExpiryMenu.keep }
        ipAllowlist = key.ipAllowlist.text
        rateLimit = key.rateLimit.map { String($0.limit) } ?? ""
        rateLimitWindow = key.rateLimit?.window.rawValue ?? rateLimitWindow
        quota = key.quota.map { String($0.remaining) } ?? ""
        quotaMonthlyRefill = key.quota?.refill == .monthly
        headers = key.responseHeaders.map(\.draft)
        meta = key.meta.object.isEmpty ? "" : key.meta.json
        status = key.status.rawValue
    }

    var keepsExpiry: Bool { expiry == ExpiryMenu.keep }

    /// The status a new key starts in, nil (an error) for anything else.
    var initialStatus: KeyStatus? { KeyStatus(initial: status) }

    /// Every check at once, one message per field: the draft's rules plus the form's own — a value sent for a choice
    /// not made (a date with "Never"), a grid cell that is not none/read/write, a status a new key cannot start in.
    /// - Parameter creating: false when editing, which takes no status and needs no custom secret.
    func validate(now: Date, creating: Bool = true) throws(KeyError) -> KeySpec {
        var problems: [String: String] = [:]
        var draft = self.draft
        switch ExpiryMenu.draftFields(choice: expiry, date: expiresOn) {
        case .success(let fields): (draft.expiresAt, draft.ttl) = fields
        case .failure(let message): problems["expiresAt"] = message.text
        }
        if let cell = scopeGrid.first(where: { ScopeAccess(rawValue: $0.access) == nil }) {
            problems["scopes"] = "Choose none, read or write for “\(cell.resource)”."
        }
        if creating, initialStatus == nil { problems["status"] = "Choose active, pending or disabled." }
        do throws(KeyError) {
            let spec = try draft.validate(now: now, requireCustomSecret: creating)
            guard problems.isEmpty else { throw .invalid(problems) }
            return spec
        } catch {
            guard case .invalid(let draftProblems) = error else { throw error }
            // The form's message is the more precise one when both speak of a field.
            throw .invalid(problems.merging(draftProblems) { form, _ in form })
        }
    }

    /// The draft the domain validates: scopes from the grid, repeated `scope` fields and the free text; the expiry
    /// from the menu (replaced in `validate` by `ExpiryMenu`'s reading, which also refuses stray dates). The secret is
    /// passed whatever the token type, so a secret typed for a generated key is refused rather than dropped.
    var draft: KeyDraft {
        let extra = extraScopes.split(whereSeparator: { $0 == " " || $0 == "," || $0.isNewline }).map(String.init)
        let grid = scopeGrid.flatMap { cell in ScopeAccess(rawValue: cell.access)?.scopes(on: cell.resource) ?? [] }
        let lines = ipAllowlist.split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        let expiryFields: (expiresAt: String?, ttl: String?) =
            (try? ExpiryMenu.draftFields(choice: expiry, date: expiresOn).get()) ?? (nil, nil)
        return KeyDraft(
            name: name, description: description, environment: environment, ownerType: ownerType,
            scopes: grid + scopes + extra, tokenType: tokenType, secret: secret.isEmpty ? nil : secret,
            expiresAt: expiryFields.expiresAt, ttl: expiryFields.ttl, ipAllowlist: lines, rateLimit: rateLimit,
            rateLimitWindow: rateLimitWindow, quota: quota,
            quotaRefill: quotaMonthlyRefill ? QuotaRefill.monthly.rawValue : nil, responseHeaders: headers, meta: meta
        )
    }

    /// The allowlist lines stored differently from how they were typed, for the notice after saving.
    var ipRewrites: [IPAllowlist.Rewrite] {
        IPAllowlist.rewrites(ipAllowlist.split(whereSeparator: \.isNewline).map(String.init))
    }
}
