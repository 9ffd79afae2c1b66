/// A set of strings that answers "certainly absent" or "probably present" in a few hashes and one bit per probe.
///
/// The hot path keeps every key id in one, so a stream of made-up ids costs no database read (DESIGN §7.2). It
/// cannot forget: a deleted id stays "probably present" (one indexed read finds it gone) until the filter is rebuilt.
/// Hashing goes through Swift's `Hasher`, seeded randomly per process, so nobody can craft ids that collide.
public struct BloomFilter: Sendable {
    private var words: [UInt64]
    private let bitCount: Int
    private let probes: Int
    public private(set) var count = 0
    /// How many items it holds before false positives rise above `falsePositiveRate`; past it, rebuild bigger.
    public let capacity: Int

    /// Sized for `capacity` items at about one false positive in 100,000 (24 bits and 16 probes per item).
    public init(capacity: Int) {
        let capacity = max(capacity, 16_384)
        self.capacity = capacity
        let bits = capacity * 24
        self.words = Array(repeating: 0, count: (bits + 63) / 64)
        self.bitCount = words.count * 64
        self.probes = 16
    }

    public static let falsePositiveRate = 0.000_01

    public mutating func insert(_ item: String) {
        let (first, second) = Self.hashes(item)
        for probe in 0..<probes {
            let bit = Int((first &+ UInt64(probe) &* second) % UInt64(bitCount))
            words[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        count += 1
    }

    /// False means `item` was never inserted; true means it probably was.
    public func mightContain(_ item: String) -> Bool {
        let (first, second) = Self.hashes(item)
        for probe in 0..<probes {
            let bit = Int((first &+ UInt64(probe) &* second) % UInt64(bitCount))
            if words[bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
        }
        return true
    }

    public var isOverCapacity: Bool { count > capacity }

    /// Two independent 64-bit hashes, combined per probe (Kirsch–Mitzenmacher); the second is odd so probes differ.
    private static func hashes(_ item: String) -> (UInt64, UInt64) {
        var first = Hasher()
        first.combine(item)
        var second = Hasher()
        second.combine(0x5bd1_e995 as UInt32)
        second.combine(item)
        return (UInt64(bitPattern: Int64(first.finalize())), UInt64(bitPattern: Int64(second.finalize())) | 1)
    }
}
