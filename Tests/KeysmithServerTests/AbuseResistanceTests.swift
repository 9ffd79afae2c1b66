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
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()

            let response = try await browser.get(path)

            #expect(response.status == .ok)
        }
    }

    @Test func wrongPasswordsOnAccountChangesAreThrottledPerAccount() async throws {
        let app = try await TestApp()
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
        let app = try await TestApp()
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
        let app = try await TestApp()
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
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let key = try await APIClient(session: browser).createKey(["name": "metered", "quota": ["remaining": 3]])

            let response = try await APIClient(token: try #require(key.token), client: browser.client).get("/api/v1/whoami")

            #expect(try response.json["quotaRemaining"] == .integer(2))
        }
    }
}
