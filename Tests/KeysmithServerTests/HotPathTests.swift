import Argon2
import Dispatch
import Foundation
import HTTPTypes
import HummingbirdTesting
import KeysmithCore
import KeysmithStore
import Synchronization
import Testing

@testable import KeysmithServer

/// DESIGN §7's guarantees under concurrency and at the edges: quotas never over-admitted, leases and usage kept at
/// shutdown, a full Argon2 pool refusing at once, a flood that cannot lock out a proven secret.
@Suite struct HotPathTests {
    @Test func aThousandConcurrentVerificationsOfAQuotaOfAHundredAdmitExactlyAHundred() async throws {
        let path = try await TestHotPath()
        let (key, token) = try await path.activeKey(KeyDraft(name: "metered", quota: "100"))

        let codes = try await withThrowingTaskGroup(of: VerificationCode.self) { group in
            for _ in 0..<1_000 { group.addTask { try await path.verifier.verify(token).code } }
            return try await group.reduce(into: [VerificationCode: Int]()) { $0[$1, default: 0] += 1 }
        }

        #expect(codes == [.valid: 100, .usageExceeded: 900])
        #expect(path.metric("keysmith_argon2_runs_total") == 2)  // its creation, and one proof shared by all
        #expect(path.metric("keysmith_key_store_reads_total") == 1)  // one read shared by all
        #expect(try await path.database.key(id: key.id.value)?.quotaBalance?.remaining == 0)
        #expect(path.metric("keysmith_quota_leases_total") < 20)  // slices, not one store write per request
    }

    @Test func unspentLeaseUnitsGoBackToTheStoreAtCleanShutdown() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let api = APIClient(session: browser)
            let key = try await api.createKey(["name": "metered", "quota": ["remaining": 1_000]])
            for _ in 0..<3 { #expect(try await api.verify(token: try #require(key.token))["code"] == .string("VALID")) }
            // While running, the store holds the balance minus the lease taken out of it.
            #expect(try await app.database.key(id: key.id)?.quotaBalance?.remaining ?? 0 < 997)
        }

        let key = try #require(try await onlyKey(app))
        #expect(key.quotaBalance?.remaining == 997)
    }

    @Test func countedUsesAreWrittenAtCleanShutdown() async throws {
        let app = try await TestApp { $0.usageFlushInterval = .seconds(3_600) }  // only the shutdown flush can write them
        try await app.run { browser in
            try await browser.signUp()
            let key = try await APIClient(session: browser).createKey(["name": "busy"])
            let api = APIClient(client: browser.client)
            for _ in 0..<5 { #expect(try await api.verify(token: try #require(key.token))["code"] == .string("VALID")) }
        }

        let key = try #require(try await onlyKey(app))
        #expect(try await app.database.keyUsage(id: key.id.value, days: 1, now: app.clock.now).first?.count == 5)
        #expect(key.lastUsedAt == app.clock.now)
    }

    @Test func aFullPoolRefusesTheNextJobAtOnce() async throws {
        let pool = Argon2Pool(workers: 1, queueLimit: 1, metrics: AppMetrics())
        let release = DispatchSemaphore(value: 0)
        let running = Task { try await pool.run { release.wait() } }
        let waiting = Task { try await pool.run { release.wait() } }
        while pool.load != (running: 1, waiting: 1) { try await Task.sleep(for: .milliseconds(1)) }

        await #expect(throws: Argon2Overloaded()) {
            try await pool.run {}
        }

        release.signal()
        release.signal()
        try await running.value
        try await waiting.value
        try await pool.run {}  // room again
    }

    @Test func aSaturatedPoolAnswers503OverloadedWithRetryAfter() async throws {
        let app = try await TestApp {
            ($0.argon2Workers, $0.argon2QueueLimit) = (1, 0)
            $0.argon2 = Argon2Parameters(memoryKiB: 32_768, iterations: 2, parallelism: 1)  // tens of milliseconds
            $0.failedSecretsPerKeyPerMinute = 1_000
        }
        try await app.run { browser in
            try await browser.signUp()
            let key = try await APIClient(session: browser).createKey(["name": "popular"])
            let client = browser.client

            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<24 {
                    group.addTask {
                        let wrong = APIKeyToken.generate(for: try KeyID(key.id)).value
                        return try await APIClient(token: wrong, client: client).get("/api/v1/whoami")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            let refused = responses.filter { $0.status == .serviceUnavailable }
            #expect(!refused.isEmpty)
            #expect(refused.count < responses.count)
            for response in refused {
                try expectProblem(response, .serviceUnavailable, "OVERLOADED")
                #expect(response.headers[.retryAfter] == "1")
            }
            #expect(responses.allSatisfy { $0.status == .serviceUnavailable || $0.status == .unauthorized })
            let metrics = try await client.execute(uri: "/metrics", method: .get).text
            #expect(metrics.contains("keysmith_argon2_refused_total \(refused.count)"))
        }
    }

    @Test func aProvenSecretKeepsPassingWhileItsKeyIdIsFlooded() async throws {
        let path = try await TestHotPath { $0.failedSecretsPerKeyPerMinute = 10 }
        let (key, token) = try await path.activeKey()
        #expect(try await path.verifier.verify(token).code == .valid)
        let runs = path.metric("keysmith_argon2_runs_total")

        let codes = try await withThrowingTaskGroup(of: (Bool, VerificationCode).self) { group in
            for number in 0..<400 {
                group.addTask {
                    let isHolder = number.isMultiple(of: 4)
                    let presented = isHolder ? token : APIKeyToken.generate(for: key.id)
                    return (isHolder, try await path.verifier.verify(presented, clientIP: "203.0.113.\(number % 200)").code)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(codes.filter { $0.0 }.allSatisfy { $0.1 == .valid })
        #expect(codes.filter { !$0.0 }.allSatisfy { $0.1 == .notFound })
        #expect(path.metric("keysmith_argon2_runs_total") - runs <= 10)  // the key id's budget, then nothing
        #expect(path.metric("keysmith_verification_throttled_total") >= 290)
    }

    @Test func theClientBudgetStopsOneAddressSprayingManyKeyIds() async throws {
        let path = try await TestHotPath { ($0.failedSecretsPerKeyPerMinute, $0.failedSecretsPerClientPerMinute) = (100, 5) }
        var tokens: [APIKeyToken] = []
        for number in 0..<10 { tokens.append(try await path.activeKey(KeyDraft(name: "key \(number)")).token) }
        let runs = path.metric("keysmith_argon2_runs_total")

        for token in tokens {
            #expect(
                try await path.verifier.verify(APIKeyToken.generate(for: token.keyID), clientIP: "198.51.100.1").code == .notFound
            )
        }

        #expect(path.metric("keysmith_argon2_runs_total") - runs == 5)
        #expect(try await path.verifier.verify(tokens[0], clientIP: "198.51.100.2").code == .valid)
    }

    @Test func concurrentChangesLeaveTheCacheWithTheLastCommittedState() async throws {
        let path = try await TestHotPath()
        let (key, token) = try await path.activeKey(KeyDraft(name: "busy"))
        #expect(try await path.verifier.verify(token).code == .valid)

        // Renames race a disable: whichever commits last, the cache must end as the store ends.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for number in 0..<40 {
                group.addTask {
                    let spec = try KeyDraft(name: "busy \(number)").validate(now: path.clock.now)
                    _ = try await path.writer.update(key, with: spec, keepingExpiry: false, origin: path.origin)
                }
                if number == 20 { group.addTask { _ = try await path.writer.disable(key, origin: path.origin) } }
            }
            try await group.waitForAll()
        }

        let stored = try await path.stored(token)
        #expect(stored.status == .disabled)
        #expect(try await path.verifier.verify(token).code == .disabled)
        #expect(try await path.verifier.verify(token).key?.name == stored.name)
    }

    @Test func anEditMadeFromAnOlderCopyStillEndsTheLeaseOfTheQuotaItReplaced() async throws {
        let path = try await TestHotPath()
        let (stale, token) = try await path.activeKey(KeyDraft(name: "metered", quota: "1000"))
        let fifty = try KeyDraft(name: "metered", quota: "50").validate(now: path.clock.now)
        _ = try await path.writer.update(stale, with: fifty, keepingExpiry: false, origin: path.origin)
        #expect(try await path.verifier.verify(token).quotaRemaining == 49)  // a lease of the 50 is held now

        // An edit from a copy read before the change to 50 puts the 1,000 back: the store starts a fresh balance.
        let renamed = try KeyDraft(name: "metered again", quota: "1000").validate(now: path.clock.now)
        _ = try await path.writer.update(stale, with: renamed, keepingExpiry: false, origin: path.origin)

        #expect(try await path.verifier.verify(token).quotaRemaining == 999)
    }

    @Test func theFailureBudgetOfVerifyIsPaidByTheCallerNotByTheAddressItNames() async throws {
        let path = try await TestHotPath { ($0.failedSecretsPerKeyPerMinute, $0.failedSecretsPerClientPerMinute) = (100, 5) }
        var tokens: [APIKeyToken] = []
        for number in 0..<10 { tokens.append(try await path.activeKey(KeyDraft(name: "key \(number)")).token) }
        let runs = path.metric("keysmith_argon2_runs_total")

        for (number, token) in tokens.enumerated() {
            let guess = APIKeyToken.generate(for: token.keyID)
            let outcome = try await path.verifier.verify(
                guess, project: nil, requiredScope: nil, clientIP: "198.51.100.\(number)", caller: "203.0.113.1")
            #expect(outcome.code == .notFound)
        }

        #expect(path.metric("keysmith_argon2_runs_total") - runs == 5)
    }

    @Test func theIdFilterGrowsWithoutLosingIdsAddedWhileItIsRebuilt() async throws {
        let cache = KeyCache(capacity: 10, knownIDs: [], metrics: AppMetrics())
        let spec = try KeyDraft(name: "k").validate(now: Date(timeIntervalSince1970: 1_800_000_000))
        let (project, workspace) = (ProjectID.generate(), WorkspaceID.generate())
        func key() -> APIKey {
            APIKey(
                id: KeyID.generate(prefix: .default, environment: .live), projectID: project, workspaceID: workspace,
                creatorID: 1, spec: spec, customSecret: nil, now: Date(timeIntervalSince1970: 1_800_000_000))
        }
        var stored: [APIKey] = []
        var full = false
        while !full {
            let next = key()
            stored.append(next)
            full = cache.put(next)
        }
        let addedDuringRebuild = key()

        try await cache.rebuildFilter {
            cache.put(addedDuringRebuild)
            return stored.map(\.id.value)
        }

        for id in stored.map(\.id.value) + [addedDuringRebuild.id.value] {
            guard case .unknown = cache.lookup(id) else {
                Issue.record("\(id) is not in the filter")
                return
            }
        }
        #expect(!cache.put(key()))  // room again
    }

    @Test func healthzAndMetricsNeedNoSessionAndNameTheHotPathSeries() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            let health = try await browser.get("/healthz")
            let metrics = try await browser.get("/metrics")

            #expect(health.status == .ok && health.text == #"{"status":"ok"}"#)
            #expect(health.headers[.setCookie] == nil)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            for series in [
                "keysmith_verifications_total", "keysmith_key_cache_hits_total", "keysmith_key_cache_misses_total",
                "keysmith_key_cache_size", "keysmith_argon2_runs_total", "keysmith_argon2_in_flight", "keysmith_argon2_queued",
                "keysmith_argon2_refused_total", "keysmith_usage_flush_lag_seconds", "keysmith_http_request_duration_seconds",
            ] {
                #expect(metrics.text.contains(series), "\(series) missing")
            }
            #expect(metrics.text.contains(#"route="/healthz""#))
        }
    }

    @Test func readinessAsksTheDatabaseAtMostOnceASecondAndReportsItsFailure() async throws {
        let pings = Mutex(0)
        let failing = Mutex(false)
        let readiness = ReadinessCheck(maxAge: .milliseconds(200)) {
            pings.withLock { $0 += 1 }
            if failing.withLock({ $0 }) { throw CancellationError() }
        }

        for _ in 0..<100 { #expect(await readiness.isReady()) }
        #expect(pings.withLock { $0 } == 1)

        failing.withLock { $0 = true }
        #expect(await readiness.isReady())  // still the last answer, for at most maxAge
        try await Task.sleep(for: .milliseconds(250))
        #expect(!(await readiness.isReady()))
        #expect(pings.withLock { $0 } == 2)
    }

    @Test func verificationAnswersCarryNoCookies() async throws {
        let app = try await TestApp()
        try await app.run { browser in
            try await browser.signUp()
            let key = try await APIClient(session: browser).createKey(["name": "plain"])

            let whoami = try await APIClient(token: try #require(key.token), client: browser.client).get("/api/v1/whoami")

            #expect(whoami.status == .ok)
            #expect(whoami.headers[.setCookie] == nil)
        }
    }
}

/// The one key of the signed-up account, read after the application has stopped.
private func onlyKey(_ app: TestApp) async throws -> APIKey? {
    let project = try await defaultProject(app)
    return try await app.database.keys(projectID: project.id, matching: KeyListQuery(), now: app.clock.now).items.first
}
