import Foundation

@testable import KeysmithCore

/// The fixed world the harnesses validate in: one clock reading, one key's ids, and the checks the key bodies share.
enum FuzzFixture {
    /// 2026-01-15T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_768_478_400)
    static let keyID = KeyID(unchecked: "ks_live_0123456789ABCDEF", environment: .live)
    static let workspaceID = WorkspaceID(unchecked: "ws_0123456789ABCDEF")
    static let projectID = ProjectID(unchecked: "prj_0123456789ABCDEF")

    /// The key a store holds once `spec` is created.
    static func storedKey(_ spec: KeySpec) -> APIKey {
        let id = KeyID(unchecked: "ks_\(spec.environment.rawValue)_0123456789ABCDEF", environment: spec.environment)
        return APIKey(
            id: id, projectID: projectID, workspaceID: workspaceID, creatorID: 1, spec: spec, customSecret: nil, now: now)
    }

    /// A stored key with every setting given, for the bodies that change some of them.
    static let fullKey: APIKey? = (try? fullDraft.validate(now: now)).map(storedKey)

    private static let fullDraft = KeyDraft(
        name: "Billing", description: "Line one\nline two", ownerType: "service", scopes: ["orders:read", "invoices:*"],
        ttl: "30d", ipAllowlist: ["10.0.0.0/8", "2001:db8::/32"], rateLimit: "100", rateLimitWindow: "minute",
        quota: "1000", quotaRefill: "monthly", responseHeaders: [ResponseHeaderDraft(name: "X-Key", value: "${key.id}")],
        meta: #"{"team":"billing"}"#)

    /// The settings `edited` does not share with `spec`, as `field: before → after`; expiry and secret are the
    /// caller's to compare, since how an edit keeps them differs.
    static func differences(_ spec: KeySpec, _ edited: KeySpec) -> [String] {
        settings.compactMap { name, value in
            value(spec) == value(edited) ? nil : "\(name): \(value(spec)) → \(value(edited))"
        }
    }

    private static let settings: [(String, @Sendable (KeySpec) -> AnyHashable)] = [
        ("name", { $0.name }), ("description", { $0.description }), ("environment", { $0.environment }),
        ("ownerType", { $0.ownerType }), ("scopes", { $0.scopes }), ("tokenType", { $0.tokenType }),
        ("ipAllowlist", { $0.ipAllowlist }), ("rateLimit", { $0.rateLimit }), ("quota", { $0.quota }),
        ("responseHeaders", { $0.responseHeaders }), ("meta", { $0.meta }),
    ]

    /// The fields `KeyDraft.validate` names, each a form field or JSON member the client sent.
    private static let draftFields: Set<String> = [
        "name", "description", "environment", "ownerType", "tokenType", "scopes", "secret", "expiresAt", "ttl",
        "ipAllowlist", "rateLimit", "quota", "responseHeaders", "meta", "status",
    ]

    /// A refusal names known fields, says something for each, and never repeats the secret it refuses.
    static func expectProblems(_ problems: [String: String], secret: String?, in what: String) throws(PropertyViolation) {
        try expect(!problems.isEmpty, "\(what) is refused without a reason")
        for (field, message) in problems {
            try expect(draftFields.contains(field), "\(what) is refused under an unknown field “\(field)”")
            try expect(!message.isEmpty, "\(what) is refused under “\(field)” without a message")
        }
        if let secret, secret.utf8.count >= APIKeyToken.customSecretLength.lowerBound, let message = problems["secret"] {
            try expect(!message.contains(secret), "\(what): the message refusing the secret shows it")
        }
    }
}
