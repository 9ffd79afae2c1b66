import Foundation
import KeysmithServer
import Synchronization

/// A clock tests move by hand, so expiry and throttling windows pass without sleeping.
final class TestClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by interval: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(interval) }
    }

    var appClock: AppClock { AppClock { [self] in self.now } }
}
