import Foundation

/// Every user-editable key field as typed into the console form or sent as JSON, before validation.
///
/// Text stays text so a re-rendered form shows what the user typed (never the secret). Empty `rateLimit` means no
/// rate limit and empty `quota` no quota; response header rows with neither name nor value are ignored.
public struct KeyDraft: Hashable, Sendable {
    public var name: String
    public var description: String
    public var environment: String
    public var ownerType: String
    /// One scope per element; blanks skipped.
    public var scopes: [String]
    public var tokenType: String
    /// Custom keys only; write-only.
    public var secret: String?
    /// `never`, a date, an RFC 3339 time, or a TTL; errors on `ttl` are reported here too.
    public var expiresAt: String?
    /// `30d`, `90d`, `1y`…; exclusive with `expiresAt`.
    public var ttl: String?
    /// One entry per element; blanks skipped, errors say "Entry N".
    public var ipAllowlist: [String]
    /// Requests per window, as text; empty means no rate limit.
    public var rateLimit: String?
    public var rateLimitWindow: String?
    /// Remaining verifications, as text; empty means no quota.
    public var quota: String?
    /// `monthly`, or empty / `none`.
    public var quotaRefill: String?
    public var responseHeaders: [ResponseHeaderDraft]
    /// A JSON object as text; empty means `{}`.
    public var meta: String?

    public init(
        name: String = "",
        description: String = "",
        environment: String = KeyEnvironment.live.rawValue,
        ownerType: String = OwnerType.personal.rawValue,
        scopes: [String] = [],
        tokenType: String = TokenType.generated.rawValue,
        secret: String? = nil,
        expiresAt: String? = nil,
        ttl: String? = nil,
        ipAllowlist: [String] = [],
        rateLimit: String? = nil,
        rateLimitWindow: String? = nil,
        quota: String? = nil,
        quotaRefill: String? = nil,
        responseHeaders: [ResponseHeaderDraft] = [],
        meta: String? = nil
    ) {
        self.name = name
        self.description = description
        self.environment = environment
        self.ownerType = ownerType
        self.scopes = scopes
        self.tokenType = tokenType
        self.secret = secret
        self.expiresAt = expiresAt
        self.ttl = ttl
        self.ipAllowlist = ipAllowlist
        self.rateLimit = rateLimit
        self.rateLimitWindow = rateLimitWindow
        self.quota = quota
        self.quotaRefill = quotaRefill
        self.responseHeaders = responseHeaders
        self.meta = meta
    }

    /// Limits count Unicode scalars, as JSON Schema's `maxLength` in the API description does: a name the server
    /// accepts never breaks the schema (a grapheme count would let "B🏻" pass as one).
    public static let maxNameLength = 100
    public static let maxDescriptionLength = 500

    /// Checks every field and reports all problems at once, one message per field key.
    /// - Parameter requireCustomSecret: false when editing, since a custom secret is only set at creation or rotation.
    public func validate(now: Date, requireCustomSecret: Bool = true) throws(KeyError) -> KeySpec {
        var problems: [String: String] = [:]
        func check<Value>(_ field: String, _ result: Result<Value, FieldMessage>) -> Value? {
            switch result {
            case .success(let value): return value
            case .failure(let message):
                problems[field] = message.text
                return nil
            }
        }

        let name = check("name", Self.checkName(name))
        let description = check("description", Self.checkDescription(description))
        let environment = check("environment", Self.choice(environment, "Choose live or sandbox.", as: KeyEnvironment.self))
        let ownerType = check("ownerType", Self.choice(ownerType, "Choose personal or service.", as: OwnerType.self))
        let tokenType = check("tokenType", Self.choice(tokenType, "Choose generated or custom.", as: TokenType.self))
        let scopes = check("scopes", ScopeSet.parse(scopes))
        let customSecret = tokenType.flatMap { check("secret", checkSecret(tokenType: $0, required: requireCustomSecret)) }
        // DESIGN §10: the error belongs to the field that was sent; a TTL is reported under `ttl`.
        let expiryField =
            (ttl.map { !$0.trimmingWhitespace().isEmpty } ?? false) && (expiresAt ?? "").trimmingWhitespace().isEmpty
            ? "ttl" : "expiresAt"
        let expiresAt = check(expiryField, resolveExpiry(now: now))
        let ipAllowlist = check("ipAllowlist", IPAllowlist.parse(ipAllowlist))
        let rateLimit = check("rateLimit", Self.optional(rateLimit) { RateLimit.parse(limit: $0, window: rateLimitWindow ?? "") })
        let quota = check("quota", checkQuota())
        let headers = responseHeaders.filter { !$0.name.trimmingWhitespace().isEmpty || !$0.value.isEmpty }
        let responseHeaders = check("responseHeaders", ResponseHeaderTemplate.parse(headers))
        let meta = check("meta", KeyMetadata.parse(json: meta ?? ""))

        guard problems.isEmpty, let name, let description, let environment, let ownerType, let tokenType, let scopes,
            let customSecret, let expiresAt, let ipAllowlist, let rateLimit, let quota, let responseHeaders, let meta
        else { throw .invalid(problems) }
        return KeySpec(
            name: name,
            description: description,
            environment: environment,
            ownerType: ownerType,
            scopes: scopes,
            tokenType: tokenType,
            customSecret: customSecret,
            expiresAt: expiresAt,
            ipAllowlist: ipAllowlist,
            rateLimit: rateLimit,
            quota: quota,
            responseHeaders: responseHeaders,
            meta: meta
        )
    }

    private static func checkName(_ text: String) -> Result<String, FieldMessage> {
        let name = text.trimmingWhitespace()
        guard !name.isEmpty else { return .failure("Enter a name.") }
        guard name.unicodeScalars.count <= maxNameLength else {
            return .failure(FieldMessage("Use at most \(maxNameLength) characters."))
        }
        guard !name.unicodeScalars.contains(where: isLineBreakOrControl) else {
            return .failure("Remove line breaks and control characters.")
        }
        return .success(name)
    }

    private static func checkDescription(_ text: String) -> Result<String, FieldMessage> {
        let description = text.trimmingWhitespace()
        guard description.unicodeScalars.count <= maxDescriptionLength else {
            return .failure(FieldMessage("Use at most \(maxDescriptionLength) characters."))
        }
        guard !description.unicodeScalars.contains(where: { isLineBreakOrControl($0) && !"\n\r\t".unicodeScalars.contains($0) })
        else { return .failure("Remove control characters.") }
        return .success(description)
    }

    private static func isLineBreakOrControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    private static func choice<Choice: RawRepresentable<String>>(
        _ text: String,
        _ message: FieldMessage,
        as _: Choice.Type
    ) -> Result<Choice, FieldMessage> {
        Choice(rawValue: text.trimmingWhitespace().lowercased()).map(Result.success) ?? .failure(message)
    }

    /// `nil` (no limit) for missing or blank text, otherwise the parsed value.
    private static func optional<Value>(
        _ text: String?,
        _ parse: (String) -> Result<Value, FieldMessage>
    ) -> Result<Value?, FieldMessage> {
        guard let text, !text.trimmingWhitespace().isEmpty else { return .success(nil) }
        return parse(text).map(Optional.some)
    }

    /// The quota, or nil for none; a refill without a quota is refused rather than dropped, since the user asked for
    /// something the key would not do.
    private func checkQuota() -> Result<UsageQuota?, FieldMessage> {
        let refill = quotaRefill?.trimmingWhitespace().lowercased() ?? ""
        if (quota ?? "").trimmingWhitespace().isEmpty, !refill.isEmpty, refill != "none" {
            return .failure("A monthly refill needs a quota: enter the number of requests, or untick “Refill monthly”.")
        }
        return Self.optional(quota) { UsageQuota.parse(remaining: $0, refill: quotaRefill) }
    }

    /// The custom secret (nil for generated keys or when it may be set later); never echoes the secret.
    private func checkSecret(tokenType: TokenType, required: Bool) -> Result<String?, FieldMessage> {
        let secret = secret.flatMap { $0.isEmpty ? nil : $0 }
        switch (tokenType, secret) {
        case (.generated, nil): return .success(nil)
        case (.generated, _?): return .failure("Only custom keys take a secret; choose the custom token type or leave it empty.")
        case (.custom, nil):
            return required ? .failure("Enter the secret for this custom key (at least 24 characters).") : .success(nil)
        case (.custom, let secret?):
            do throws(TokenError) {
                try APIKeyToken.validateCustomSecret(secret)
                return .success(secret)
            } catch {
                return .failure(FieldMessage(error.description))
            }
        }
    }

    private func resolveExpiry(now: Date) -> Result<Date?, FieldMessage> {
        let ttl = ttl.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        let expiresAt = expiresAt.flatMap { $0.trimmingWhitespace().isEmpty ? nil : $0 }
        switch (expiresAt, ttl) {
        case (_?, _?): return .failure("Give either an expiry date or a TTL, not both.")
        case (let text?, nil), (nil, let text?): return ExpiryChoice.resolve(text, now: now)
        case (nil, nil): return .success(nil)
        }
    }
}

extension KeyDraft: CustomReflectable {
    /// Printing or dumping a draft never shows the secret.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "name": name, "description": description, "environment": environment, "ownerType": ownerType,
                "scopes": scopes, "tokenType": tokenType, "secret": secret.map { _ in "<redacted>" } as Any,
                "expiresAt": expiresAt as Any, "ttl": ttl as Any, "ipAllowlist": ipAllowlist, "rateLimit": rateLimit as Any,
                "rateLimitWindow": rateLimitWindow as Any, "quota": quota as Any, "quotaRefill": quotaRefill as Any,
                "responseHeaders": responseHeaders, "meta": meta as Any,
            ],
            displayStyle: .struct
        )
    }
}
