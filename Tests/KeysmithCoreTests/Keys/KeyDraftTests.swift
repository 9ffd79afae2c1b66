import Foundation
import KeysmithCore
import Testing

struct KeyDraftTests {
    /// A draft with every field filled in validly.
    static let full = KeyDraft(
        name: "  CI deploy  ",
        description: "Used by\nthe pipeline",
        environment: "sandbox",
        ownerType: "service",
        scopes: ["orders:read", "keys:*"],
        tokenType: "custom",
        secret: KeysFixture.customSecret,
        ttl: "30d",
        ipAllowlist: ["10.0.0.0/8", "", "192.168.178.0 255.255.255.0"],
        rateLimit: "100",
        rateLimitWindow: "minute",
        quota: "5000",
        quotaRefill: "monthly",
        responseHeaders: [ResponseHeaderDraft(name: "X-Key", value: "${key.id}"), ResponseHeaderDraft(name: "", value: "")],
        meta: #"{"team": "billing"}"#
    )

    static func full(_ change: (inout KeyDraft) -> Void) -> KeyDraft {
        var draft = full
        change(&draft)
        return draft
    }

    @Test func aValidDraftBecomesATypedSpec() throws {
        let spec = try Self.full.validate(now: KeysFixture.now)

        #expect(spec.name == "CI deploy")
        #expect(spec.description == "Used by\nthe pipeline")
        #expect(spec.environment == .sandbox)
        #expect(spec.ownerType == .service)
        #expect(spec.scopes.description == "keys:*,orders:read")
        #expect(spec.tokenType == .custom)
        #expect(spec.customSecret == KeysFixture.customSecret)
        #expect(spec.expiresAt == KeysFixture.now.addingTimeInterval(30 * 86_400))
        #expect(spec.ipAllowlist.entries == ["10.0.0.0/8", "192.168.178.0/24"])
        #expect(spec.rateLimit == RateLimit(limit: 100, window: .minute))
        #expect(spec.quota == UsageQuota(remaining: 5_000, refill: .monthly))
        #expect(spec.responseHeaders.map(\.name) == ["X-Key"])
        #expect(spec.meta.json == #"{"team":"billing"}"#)
    }

    @Test func aMinimalDraftNeedsOnlyANameAndDefaultsTheRest() throws {
        let spec = try KeyDraft(name: "x").validate(now: KeysFixture.now)

        #expect(spec.environment == .live)
        #expect(spec.ownerType == .personal)
        #expect(spec.tokenType == .generated)
        #expect(spec.scopes.isEmpty)
        #expect(spec.customSecret == nil)
        #expect(spec.expiresAt == nil)
        #expect(spec.ipAllowlist.isEmpty)
        #expect(spec.rateLimit == nil)
        #expect(spec.quota == nil)
        #expect(spec.responseHeaders.isEmpty)
        #expect(spec.meta.isEmpty)
    }

    /// One broken field, its key, its message.
    @Test(arguments: [
        (full { $0.name = "   " }, "name", "Enter a name."),
        (full { $0.name = String(repeating: "n", count: 101) }, "name", "Use at most 100 characters."),
        // 100 characters as Swift counts them, 101 Unicode scalars as JSON Schema's maxLength does.
        (full { $0.name = "B\u{1F3FB}" + String(repeating: "n", count: 99) }, "name", "Use at most 100 characters."),
        (full { $0.name = "two\nlines" }, "name", "Remove line breaks and control characters."),
        (full { $0.name = "tab\there" }, "name", "Remove line breaks and control characters."),
        (full { $0.name = "sep\u{2028}arator" }, "name", "Remove line breaks and control characters."),
        (full { $0.description = String(repeating: "d", count: 501) }, "description", "Use at most 500 characters."),
        (full { $0.description = "bell\u{7}" }, "description", "Remove control characters."),
        (full { $0.environment = "prod" }, "environment", "Choose live or sandbox."),
        (full { $0.ownerType = "" }, "ownerType", "Choose personal or service."),
        (full { $0.tokenType = "random" }, "tokenType", "Choose generated or custom."),
        (
            full { $0.scopes = ["Orders"] }, "scopes",
            "“Orders” is not a scope; use resource:action with lowercase letters, digits, -, _ or . (such as orders:read or orders:*), or * for everything."
        ),
        (full { $0.secret = nil }, "secret", "Enter the secret for this custom key (at least 24 characters)."),
        (full { $0.secret = "" }, "secret", "Enter the secret for this custom key (at least 24 characters)."),
        (full { $0.secret = "too-short" }, "secret", "Use at least 24 characters."),
        (
            full { $0.secret = "abcdefghijklmnopqrstuvwxyz0123453QBKnQ" }, "secret",
            "A custom secret cannot be exactly 38 letters and digits (the generated format); add a symbol or change its length."
        ),
        (
            full { $0.tokenType = "generated" }, "secret",
            "Only custom keys take a secret; choose the custom token type or leave it empty."
        ),
        (full { $0.ttl = "0d" }, "ttl", "A TTL must be longer than zero (such as 30d)."),
        (
            full {
                $0.ttl = nil
                $0.expiresAt = "2020-01-01T00:00:00Z"
            }, "expiresAt", "The expiry must be in the future."
        ),
        (full { $0.expiresAt = "2027-01-01" }, "expiresAt", "Give either an expiry date or a TTL, not both."),
        (
            full { $0.ipAllowlist = ["10.0.0.1/0"] }, "ipAllowlist",
            "Entry 1: “10.0.0.1/0” would allow every address; write 0.0.0.0/0 if you mean that."
        ),
        (full { $0.rateLimit = "0" }, "rateLimit", "Enter a whole number of requests from 1 to 1000000."),
        (full { $0.rateLimitWindow = "day" }, "rateLimit", "Choose a window of second, minute or hour."),
        (full { $0.quota = "-1" }, "quota", "Enter a whole number of requests from 0 to 1000000000."),
        (
            full { $0.responseHeaders = [ResponseHeaderDraft(name: "Set-Cookie", value: "a=b")] }, "responseHeaders",
            "Set-Cookie is reserved and cannot be set by a key."
        ),
        (full { $0.meta = "[1]" }, "meta", "Metadata must be a JSON object, such as {\"team\": \"billing\"}."),
    ])
    func eachInvalidFieldIsReportedUnderItsKey(draft: KeyDraft, field: String, message: String) {
        #expect(throws: KeyError.invalid([field: message])) { try draft.validate(now: KeysFixture.now) }
    }

    /// The field messages of a draft that must fail validation.
    static func problems(_ draft: KeyDraft) -> [String: String] {
        do throws(KeyError) {
            _ = try draft.validate(now: KeysFixture.now)
        } catch .invalid(let fields) {
            return fields
        } catch {
            Issue.record("expected invalid fields, got \(error)")
        }
        return [:]
    }

    @Test func allInvalidFieldsAreReportedAtOnce() {
        let draft = KeyDraft(name: "", environment: "x", scopes: ["*", "bad"], ttl: "0s", meta: "{")

        #expect(Self.problems(draft).keys.sorted() == ["environment", "meta", "name", "scopes", "ttl"])
    }

    @Test(
        arguments: [
            (full { $0.secret = nil }, nil), (full { $0.secret = KeysFixture.customSecret }, KeysFixture.customSecret),
        ] as [(KeyDraft, String?)]
    )
    func editingACustomKeyDoesNotRequireItsSecret(draft: KeyDraft, secret: String?) throws {
        #expect(try draft.validate(now: KeysFixture.now, requireCustomSecret: false).customSecret == secret)
    }

    @Test(
        arguments: [
            (nil, nil, nil, nil), ("", "minute", "", nil), ("  ", nil, " ", nil),
        ] as [(String?, String?, String?, String?)]
    )
    func blankLimitsMeanNoLimit(rateLimit: String?, window: String?, quota: String?, refill: String?) throws {
        let draft = Self.full {
            ($0.rateLimit, $0.rateLimitWindow, $0.quota, $0.quotaRefill) = (rateLimit, window, quota, refill)
        }

        let spec = try draft.validate(now: KeysFixture.now)

        #expect(spec.rateLimit == nil)
        #expect(spec.quota == nil)
    }

    @Test(arguments: [("2026-03-01", "2026-03-01T23:59:59Z"), ("never", nil), ("", nil)] as [(String, String?)])
    func expiresAtAcceptsDatesAndNever(expiresAt: String, expected: String?) throws {
        let draft = Self.full {
            $0.ttl = nil
            $0.expiresAt = expiresAt
        }

        #expect(try draft.validate(now: KeysFixture.now).expiresAt == expected.map(KeysFixture.date))
    }

    @Test(arguments: ["too-short", "with spaces inside the secret!!", "abcdefghijklmnopqrstuvwxyz0123453QBKnQ"])
    func secretErrorsNeverEchoTheSecret(secret: String) {
        let problems = Self.problems(Self.full { $0.secret = secret })

        #expect(problems.keys.sorted() == ["secret"])
        #expect(!"\(KeyError.invalid(problems))".contains(secret))
        #expect(!problems.values.contains { $0.contains(secret) })
    }

    @Test func printingADraftOrSpecNeverShowsTheSecret() throws {
        let spec = try Self.full.validate(now: KeysFixture.now)

        for value in [Self.full, spec] as [Any] {
            var dumped = ""
            dump(value, to: &dumped)
            for text in [dumped, "\(value)", String(reflecting: value)] {
                #expect(!text.contains(KeysFixture.customSecret))
                #expect(text.contains("<redacted>"))
            }
        }
    }
}

/// Values for a choice not made are refused, not silently dropped.
struct KeyDraftRefusedChoiceTests {
    @Test func aMonthlyRefillWithoutAQuotaIsRefused() {
        let draft = KeyDraftTests.full { $0.quota = " " }

        #expect(
            throws: KeyError.invalid([
                "quota": "A monthly refill needs a quota: enter the number of requests, or untick “Refill monthly”."
            ])
        ) {
            try draft.validate(now: KeysFixture.now)
        }
    }

    @Test func noQuotaAndNoRefillIsNoQuota() throws {
        let spec = try KeyDraftTests.full { ($0.quota, $0.quotaRefill) = ("", nil) }.validate(now: KeysFixture.now)

        #expect(spec.quota == nil)
    }

    @Test func aSecretForAGeneratedKeyIsRefused() {
        let draft = KeyDraftTests.full { $0.tokenType = "generated" }

        #expect(
            throws: KeyError.invalid(["secret": "Only custom keys take a secret; choose the custom token type or leave it empty."]
            )
        ) {
            try draft.validate(now: KeysFixture.now)
        }
    }
}
