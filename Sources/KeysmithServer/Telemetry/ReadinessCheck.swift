import Synchronization

/// Whether the database answers, asked at most once a second however often `/healthz` is called (DESIGN §7,
/// issue 12: a load balancer polling must not cost a query per call). While one check runs, others get the last
/// answer.
final class ReadinessCheck: Sendable {
    private struct State {
        var ready = false
        var checkedAt: ContinuousClock.Instant?
        var checking = false
    }

    private let state = Mutex(State())
    private let maxAge: Duration
    private let ping: @Sendable () async throws -> Void

    /// `ping` fails when the database is unusable (`Store.ping`).
    init(maxAge: Duration = .seconds(1), ping: @escaping @Sendable () async throws -> Void) {
        self.maxAge = maxAge
        self.ping = ping
    }

    func isReady() async -> Bool {
        let now = ContinuousClock.now
        let cached = state.withLock { state -> Bool? in
            if let checkedAt = state.checkedAt, now - checkedAt < maxAge || state.checking { return state.ready }
            state.checking = true
            return nil
        }
        if let cached { return cached }
        let ready = (try? await ping()) != nil
        state.withLock { state in
            (state.ready, state.checkedAt, state.checking) = (ready, ContinuousClock.now, false)
        }
        return ready
    }
}
