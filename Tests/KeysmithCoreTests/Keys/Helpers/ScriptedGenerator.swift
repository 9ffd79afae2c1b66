/// A `RandomNumberGenerator` replaying fixed words, to pin down how bits become digits.
struct ScriptedGenerator: RandomNumberGenerator {
    var words: [UInt64]
    var index = 0

    init(_ words: [UInt64]) { self.words = words }

    /// Six-bit draws, least significant first, ten per word.
    init(sixBitDraws draws: [UInt64]) {
        words = stride(from: 0, to: draws.count, by: 10).map { start in
            draws[start..<min(start + 10, draws.count)].enumerated().reduce(0) { $0 | $1.element << (6 * UInt64($1.offset)) }
        }
    }

    mutating func next() -> UInt64 {
        defer { index += 1 }
        return words[index % words.count]
    }
}

/// SplitMix64: small, seeded, good enough to check digit frequencies deterministically.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
