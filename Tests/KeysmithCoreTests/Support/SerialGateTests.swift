import Foundation
import KeysmithCore
import Synchronization
import Testing

/// What the operations saw, shared by their tasks.
private final class Trace: Sendable {
    let entries = Mutex<[String]>([])
    let inside = Mutex(0)
}

@Suite struct SerialGateTests {
    @Test func operationsRunOneAtATimeInTheOrderTheyArrived() async throws {
        let gate = SerialGate()
        let trace = Trace()
        // The first holds the gate across suspension points; the others arrive while it does.
        let first = Task {
            try await gate.run {
                trace.inside.withLock { $0 += 1 }
                trace.entries.withLock { $0.append("start 0") }
                for _ in 0..<100 { await Task.yield() }
                trace.entries.withLock { $0.append("end 0") }
                trace.inside.withLock { $0 -= 1 }
            }
        }
        while trace.entries.withLock({ $0.isEmpty }) { await Task.yield() }
        var others: [Task<Void, any Error>] = []
        for number in 1...5 {
            others.append(
                Task {
                    try await gate.run {
                        let overlapping = trace.inside.withLock { count in
                            count += 1
                            return count > 1
                        }
                        #expect(!overlapping)
                        trace.entries.withLock { $0.append("start \(number)") }
                        await Task.yield()
                        trace.entries.withLock { $0.append("end \(number)") }
                        trace.inside.withLock { $0 -= 1 }
                    }
                })
            // Each is queued before the next is made, so the queue's order is 1…5.
            for _ in 0..<20 { await Task.yield() }
        }
        try await first.value
        for task in others { try await task.value }
        let entries = trace.entries.withLock { $0 }
        #expect(entries.count == 12)
        // Never two starts in a row: each operation ended before the next began.
        for index in stride(from: 0, to: entries.count, by: 2) {
            #expect(entries[index].hasPrefix("start"))
            #expect(entries[index + 1] == entries[index].replacingOccurrences(of: "start", with: "end"))
        }
        #expect(entries.filter { $0.hasPrefix("start") } == ["start 0", "start 1", "start 2", "start 3", "start 4", "start 5"])
    }

    @Test func aThrowingOperationOpensTheGateForTheNext() async throws {
        struct Refused: Error {}
        let gate = SerialGate()
        await #expect(throws: Refused.self) { try await gate.run { throw Refused() } }
        #expect(try await gate.run { 42 } == 42)
    }
}
