import Foundation
import KeysmithCore
import Testing

/// The throttle run one decision at a time from stored windows, as nodes sharing a store run it, decides exactly
/// as one throttle in memory does.
@Suite struct SignInThrottleSharedWindowsTests {
    let start = Date(timeIntervalSince1970: 0)

    /// A table of windows, as PostgreSQL keeps them, and the decisions made through it.
    struct StoredThrottle {
        let limits: SignInThrottle.Limits
        var table: [String: AttemptWindow] = [:]

        mutating func admit(account: String?, address: String, now: Date) -> SignInThrottle.Admission {
            let keys = SignInThrottle.windowKeys(account: account, address: address)
            var throttle = SignInThrottle(limits, windows: table.filter { keys.contains($0.key) })
            let admission = throttle.admit(account: account, address: address, now: now)
            store(throttle.windows(for: keys), under: keys)
            return admission
        }

        mutating func succeeded(_ attempt: SignInThrottle.Attempt) {
            let keys = SignInThrottle.windowKeys(of: attempt)
            var throttle = SignInThrottle(limits, windows: table.filter { keys.contains($0.key) })
            throttle.succeeded(attempt)
            store(throttle.windows(for: keys), under: keys)
        }

        private mutating func store(_ windows: [String: AttemptWindow], under keys: [String]) {
            for key in keys { table[key] = windows[key] }
        }
    }

    @Test func aMixOfGuessesSuccessesAndWindowsDecidesAsInMemory() {
        let limits = SignInThrottle.Limits(perAccountAndAddress: 3, perAddress: 5, slowAfter: 4, window: 60)
        var memory = SignInThrottle(limits)
        var stored = StoredThrottle(limits: limits)
        let accounts = ["ann@example.com", "bob@example.com", nil]
        let addresses = ["203.0.113.9", "2001:db8::1"]

        for step in 0..<60 {
            let account = accounts[step % 3]
            let address = addresses[(step / 3) % 2]
            let now = start.addingTimeInterval(Double(step) * 4)
            let expected = memory.admit(account: account, address: address, now: now)
            let decided = stored.admit(account: account, address: address, now: now)
            #expect(decided == expected, "step \(step)")
            if step % 7 == 0, case .admitted(let attempt) = expected {
                memory.succeeded(attempt)
                stored.succeeded(attempt)
            }
        }
    }

    @Test func aSuccessForgetsThePairsStoredWindow() throws {
        var stored = StoredThrottle(limits: .signIn)
        _ = stored.admit(account: "ann@example.com", address: "203.0.113.9", now: start)
        guard case .admitted(let attempt) = stored.admit(account: "ann@example.com", address: "203.0.113.9", now: start) else {
            Issue.record("the second attempt was refused")
            return
        }
        #expect(stored.table.count == 3)

        stored.succeeded(attempt)

        #expect(stored.table.keys.sorted() == ["account:ann@example.com", "address:203.0.113.9"])
        #expect(stored.table["address:203.0.113.9"]?.used == 1)
    }
}
