import Argon2
import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import Testing

@testable import KeysmithServer

/// Hostile or unlucky inputs that must neither crash the server nor widen anyone's access.
@Suite struct AbuseResistanceTests {
    @Test(arguments: [
        "/keys?page=9223372036854775807", "/keys?page=-9223372036854775808&q=abc", "/audit?page=9223372036854775807",
    ])
    func absurdPageNumbersAnswerAPageInsteadOfCrashing(path: String) async throws {
        let app = try TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.get(path)

            #expect(response.status == .ok)
        }
    }

    @Test func aKeyCannotRotateOrDisableAKeyWithScopesItLacks() async throws {
        let app = try TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let session = APIClient(session: browser)
            let broad = try await session.createKey(["name": "broad", "scopes": ["*"]])
            let narrow = try await session.createKey(["name": "narrow", "scopes": ["keys:write"]])
            let before = try await app.database.key(id: broad.id)
            let asNarrow = APIClient(token: try #require(narrow.token), client: browser.client)

            let rotate = try await asNarrow.post("/api/v1/keys/\(broad.id)/rotate", ["grace": "7d"])
            let disable = try await asNarrow.post("/api/v1/keys/\(broad.id)/disable")
            let delete = try await asNarrow.delete("/api/v1/keys/\(broad.id)")

            for response in [rotate, disable, delete] {
                #expect(response.status == .forbidden)
                #expect(try response.json["error"]?["code"] == .string("INSUFFICIENT_SCOPE"))
                #expect(!response.text.contains("token"))
            }
            #expect(try await app.database.key(id: broad.id) == before)
        }
    }

    @Test func wrongPasswordsOnAccountChangesAreThrottledPerAccount() async throws {
        let app = try TestApp()
        try await app.run { browser in
            try await browser.signUp()
            for _ in 0..<10 {
                let response = try await browser.post("/account/delete", ["password": "not my password at all"])
                #expect(response.status == .unprocessableContent)
            }

            let throttled = try await browser.post("/account/delete", ["password": "correct horse battery"])

            #expect(throttled.status == .tooManyRequests)
            #expect(throttled.text.contains("Too many attempts"))
            #expect(try await app.database.account(email: EmailAddress(unchecked: "ann@example.com")) != nil)
        }
    }

    @Test func signingUpWhileSignedInEndsThePreviousSession() async throws {
        let app = try TestApp()
        try await app.run { browser in
            try await browser.signUp(email: "first@example.com")
            let first = try #require(browser.cookies["keysmith_session"])

            try await browser.post("/signup", ["email": "second@example.com", "password": "another good password"])

            var replay = Browser(browser.client)
            replay.cookies["keysmith_session"] = first
            #expect(try await replay.get("/keys").status == .seeOther)
        }
    }

    @Test func usageRefusedByTheQuotaDoesNotSpendTheRateLimit() async throws {
        let app = try TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let key = try await APIClient(session: browser).createKey(
                ["name": "metered", "rateLimit": ["limit": 5, "window": "minute"], "quota": ["remaining": 1]]
            )
            let api = APIClient(client: browser.client)
            let token = try #require(key.token)
            #expect(try await api.verify(token: token)["code"] == .string("VALID"))

            let refused = try await api.verify(token: token)

            #expect(refused["code"] == .string("USAGE_EXCEEDED"))
            #expect(refused["ratelimit"]?["remaining"] == .integer(4))
        }
    }

    @Test func whoamiReportsTheQuotaLeftAfterThisVeryUse() async throws {
        let app = try TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let key = try await APIClient(session: browser).createKey(["name": "metered", "quota": ["remaining": 3]])

            let response = try await APIClient(token: try #require(key.token), client: browser.client).get("/api/v1/whoami")

            #expect(try response.json["quotaRemaining"] == .integer(2))
        }
    }

    @Test func aSecretHashedWithOlderParametersIsRehashedAtItsNextUse() async throws {
        let database = try AppDatabase.open(path: nil)
        let clock = TestClock()
        let origin = RequestOrigin(ip: nil, userAgent: nil)
        let account = try await database.createAccount(
            email: EmailAddress(unchecked: "ann@example.com"), passwordHash: "h", origin: origin, now: clock.now
        )
        let keyID = KeyID.generate(prefix: .default, environment: .live)
        let token = APIKeyToken.generate(for: keyID)
        var key = APIKeyRecord(
            id: keyID, accountId: try #require(account.id), spec: try KeyDraft(name: "old").validate(now: clock.now),
            now: clock.now)
        (key.secretHash, key.hint) = (try Argon2id(parameters: .testing).hash(token.secret), token.hint)
        _ = try await database.createKey(key, activate: true, origin: origin, now: clock.now)
        let stronger = Argon2Parameters(memoryKiB: 16, iterations: 1, parallelism: 1)
        let verifier = KeyVerifier(
            database: database, hasher: PasswordHasher(parameters: stronger), limiter: RateLimiter(), clock: clock.appClock
        )

        #expect(try await verifier.verify(token).code == .valid)

        let stored = try #require(try await database.key(id: keyID.value)?.secretHash)
        #expect(stored.hasPrefix("$argon2id$v=19$m=16,t=1,p=1$"))
        #expect(try await verifier.verify(token).code == .valid)
    }

    @Test func aUseRecordedAfterTheKeyWasReSecretedCountsNothing() async throws {
        let database = try AppDatabase.open(path: nil)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let origin = RequestOrigin(ip: nil, userAgent: nil)
        let account = try await database.createAccount(
            email: EmailAddress(unchecked: "ann@example.com"), passwordHash: "h", origin: origin, now: now)
        let keyID = KeyID.generate(prefix: .default, environment: .live)
        var key = APIKeyRecord(
            id: keyID, accountId: try #require(account.id), spec: try KeyDraft(name: "k").validate(now: now), now: now)
        (key.secretHash, key.hint) = ("$argon2id$current", "hint")
        _ = try await database.createKey(key, activate: true, origin: origin, now: now)

        let outcome = try await database.recordKeyUse(id: keyID.value, matchedHash: "$argon2id$replaced", ip: nil, now: now)

        #expect(outcome == .revoked)
        #expect(try await database.key(id: keyID.value)?.lastUsedAt == nil)
    }
}
