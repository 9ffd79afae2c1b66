import HTTPTypes
import HummingbirdTesting
import KeysmithPostgres
import KeysmithTestStores
import Logging
import Testing

/// Sign-in throttles on two nodes of one PostgreSQL (DESIGN §9): an address's guesses count wherever they land.
@Suite(.enabled(if: TestStore.isPostgres, "several nodes need the PostgreSQL pass (KEYSMITH_TEST_STORE=postgres)"))
struct ClusterSignInTests {
    @Test func guessesSpreadOverTwoNodesSpendOneBudget() async throws {
        let location = try TestStore.sharedLocation()
        let a = try await TestApp(database: try await PostgresStore.connect(to: location, logger: Logger(label: "node-a")))
        let b = try await TestApp(database: try await PostgresStore.connect(to: location, logger: Logger(label: "node-b")))
        try await a.run { onA in
            try await onA.signUp()
            let clientA = onA.client
            try await b.run { onB in
                var guesserOnA = Browser(clientA)
                var guesserOnB = Browser(onB.client)
                try await guesserOnA.get("/login")
                try await guesserOnB.get("/login")

                // Ten wrong guesses from one address, every other one on the other node: one budget of ten.
                for attempt in 0..<10 {
                    let form = ["email": "ann@example.com", "password": "guess \(attempt)"]
                    let failed =
                        try await (attempt.isMultiple(of: 2) ? guesserOnA.post("/login", form) : guesserOnB.post("/login", form))
                    #expect(failed.status == .unauthorized)
                }
                let throttledOnA = try await guesserOnA.post("/login", ["email": "ann@example.com", "password": "guess 11"])
                let throttledOnB = try await guesserOnB.post(
                    "/login", ["email": "ann@example.com", "password": "correct horse battery"])

                #expect(throttledOnA.status == .tooManyRequests)
                #expect(throttledOnB.status == .tooManyRequests)
                #expect(guesserOnB.cookies["keysmith_session"] == nil)
            }
        }
    }
}
