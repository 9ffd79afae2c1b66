import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import Testing

/// DESIGN §7.8 through the real routes: a key is verified once (so it sits in the cache with its secret proven),
/// then changed through the API or the console, and the very next verification must see the change. Each test
/// would fail if the cache kept serving the key as it was.
@Suite struct CachedKeyChangeTests {
    /// Signs up, creates a key from the JSON `fields`, verifies it so it is cached with its secret proven, and hands
    /// over the pieces.
    func withCachedKey(
        _ fields: String = "{}", _ test: @Sendable (TestApp, inout Browser, APIClient, CreatedKey, String) async throws -> Void
    ) async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            var body = try #require(try JSONSerialization.jsonObject(with: Data(fields.utf8)) as? [String: Any])
            body["name"] = "cached"
            let key = try await api.createKey(body)
            let token = try #require(key.token)
            #expect(try await api.verify(token: token, ip: "10.0.0.1")["code"] == .string("VALID"))
            #expect(try await api.verify(token: token, ip: "10.0.0.1")["code"] == .string("VALID"))
            try await test(app, &browser, api, key, token)
        }
    }

    @Test func narrowedScopesHoldAtOnce() async throws {
        try await withCachedKey(#"{"scopes": ["orders:read"]}"#) { _, _, api, key, token async throws in
            #expect(try await api.patch("/api/v1/keys/\(key.id)", ["scopes": ["billing:read"]]).status == .ok)

            #expect(try await api.verify(token: token, scope: "orders:read")["code"] == .string("INSUFFICIENT_SCOPE"))
            #expect(try await api.verify(token: token, scope: "billing:read")["code"] == .string("VALID"))
        }
    }

    @Test func aNewAllowlistHoldsAtOnce() async throws {
        try await withCachedKey() { _, _, api, key, token async throws in
            #expect(try await api.patch("/api/v1/keys/\(key.id)", ["ipAllowlist": ["192.0.2.0/24"]]).status == .ok)

            #expect(try await api.verify(token: token, ip: "10.0.0.1")["code"] == .string("IP_NOT_ALLOWED"))
            #expect(try await api.verify(token: token, ip: "192.0.2.7")["code"] == .string("VALID"))
        }
    }

    @Test func aNewExpiryHoldsAndItsPassingWhileCachedExpiresTheKey() async throws {
        try await withCachedKey() { app, _, api, key, token async throws in
            #expect(try await api.patch("/api/v1/keys/\(key.id)", ["ttl": "1h"]).status == .ok)
            app.clock.advance(by: 3_599)
            #expect(try await api.verify(token: token)["code"] == .string("VALID"))

            app.clock.advance(by: 1)

            #expect(try await api.verify(token: token)["code"] == .string("EXPIRED"))
        }
    }

    @Test func aNewRateLimitHoldsAtOnce() async throws {
        try await withCachedKey() { _, _, api, key, token async throws in
            let limit: [String: Any] = ["rateLimit": ["limit": 1, "window": "minute"]]
            #expect(try await api.patch("/api/v1/keys/\(key.id)", limit).status == .ok)

            #expect(try await api.verify(token: token)["code"] == .string("VALID"))
            #expect(try await api.verify(token: token)["code"] == .string("RATE_LIMITED"))
        }
    }

    @Test func aNewQuotaReplacesTheLeaseOfTheOldOne() async throws {
        try await withCachedKey(#"{"quota": {"remaining": 1000}}"#) { _, _, api, key, token async throws in
            #expect(try await api.verify(token: token)["remaining"] == .integer(997))
            #expect(try await api.patch("/api/v1/keys/\(key.id)", ["quota": ["remaining": 1]]).status == .ok)

            #expect(try await api.verify(token: token)["code"] == .string("VALID"))
            #expect(try await api.verify(token: token)["code"] == .string("USAGE_EXCEEDED"))
        }
    }

    @Test func disablingAndEnablingHoldAtOnce() async throws {
        try await withCachedKey() { _, _, api, key, token async throws in
            #expect(try await api.post("/api/v1/keys/\(key.id)/disable").status == .ok)
            #expect(try await api.verify(token: token)["code"] == .string("DISABLED"))

            #expect(try await api.post("/api/v1/keys/\(key.id)/enable").status == .ok)
            #expect(try await api.verify(token: token)["code"] == .string("VALID"))
        }
    }

    @Test func disablingInTheConsoleHoldsAtOnceForTheGates() async throws {
        try await withCachedKey() { app, browser, _, key, token async throws in
            #expect(try await browser.post("/keys/\(key.id)/disable").status == .seeOther)

            let whoami = try await APIClient(token: token, client: browser.client).get("/api/v1/whoami")
            let auth = try await APIClient(token: token, client: browser.client).get(
                "/api/v1/auth?project=\(try await defaultProject(app).id)")

            try expectProblem(whoami, .unauthorized, "INVALID_API_KEY")
            try expectProblem(auth, .unauthorized, "INVALID_API_KEY")
        }
    }

    @Test func rotatingWithGraceKeepsTheCachedOldSecretUntilTheGraceEnds() async throws {
        try await withCachedKey() { app, _, api, key, token async throws in
            let rotated = try await api.post("/api/v1/keys/\(key.id)/rotate", ["grace": "1h"]).json
            let new = try #require(rotated["token"]?.string)

            #expect(try await api.verify(token: token)["code"] == .string("VALID"))
            #expect(try await api.verify(token: new)["code"] == .string("VALID"))
            app.clock.advance(by: 3_600)
            #expect(try await api.verify(token: token)["code"] == .string("NOT_FOUND"))
            #expect(try await api.verify(token: new)["code"] == .string("VALID"))
        }
    }

    @Test func rotatingNowEndsTheCachedOldSecretAtOnce() async throws {
        try await withCachedKey() { _, _, api, key, token async throws in
            let rotated = try await api.post("/api/v1/keys/\(key.id)/rotate", ["grace": "0s"]).json
            let new = try #require(rotated["token"]?.string)

            #expect(try await api.verify(token: token)["code"] == .string("NOT_FOUND"))
            #expect(try await api.verify(token: new)["code"] == .string("VALID"))
        }
    }

    @Test func deletingHoldsAtOnce() async throws {
        try await withCachedKey() { _, _, api, key, token async throws in
            #expect(try await api.delete("/api/v1/keys/\(key.id)").status == .ok)

            #expect(try await api.verify(token: token)["code"] == .string("NOT_FOUND"))
        }
    }

    @Test func deletingTheAccountEndsItsCachedKeysAtOnce() async throws {
        try await withCachedKey() { _, browser, _, _, token async throws in
            let deleted = try await browser.post("/account/delete", ["password": "correct horse battery"])
            #expect(deleted.status == .seeOther)

            let verified = try await APIClient(client: browser.client).verify(token: token)
            #expect(verified["code"] == .string("NOT_FOUND"))
        }
    }

    @Test func changingTheAccountPrefixKeepsExistingKeysWorking() async throws {
        try await withCachedKey() { app, browser, api, _, token async throws in
            #expect(
                try await browser.post(try await settingsPath(app), ["name": "Default", "key_prefix": "acme"]).status == .seeOther
            )

            #expect(try await api.verify(token: token)["code"] == .string("VALID"))
            let next = try await api.createKey(["name": "after the change"])
            #expect(next.id.hasPrefix("acme_live_"))
            #expect(try await api.verify(token: try #require(next.token))["code"] == .string("VALID"))
        }
    }
}
