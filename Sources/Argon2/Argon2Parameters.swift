/// Argon2id cost settings. The defaults are OWASP's first recommendation (m = 19 MiB, t = 2, p = 1).
public struct Argon2Parameters: Sendable, Equatable {
    public var memoryKiB: UInt32
    public var iterations: UInt32
    public var parallelism: UInt32
    public var saltLength: Int
    public var hashLength: Int

    public static let `default` = Argon2Parameters(memoryKiB: 19_456, iterations: 2, parallelism: 1)

    /// The cheapest setting libargon2 accepts; for tests only, where thousands of hashes would otherwise take minutes.
    public static let testing = Argon2Parameters(memoryKiB: 8, iterations: 1, parallelism: 1)

    public init(memoryKiB: UInt32, iterations: UInt32, parallelism: UInt32, saltLength: Int = 16, hashLength: Int = 32) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
        self.saltLength = saltLength
        self.hashLength = hashLength
    }
}
