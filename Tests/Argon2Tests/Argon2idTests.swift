import Argon2
import Testing

/// Strings produced by the reference `argon2` command-line tool (Debian package `argon2`), e.g.
/// `echo -n "password" | argon2 saltsaltsaltsalt -id -t 3 -k 64 -p 2 -l 32 -e`.
private let referenceHashes: [(password: String, salt: String, parameters: Argon2Parameters, encoded: String)] = [
    (
        "correct horse battery", "somesaltsomesalt", Argon2Parameters(memoryKiB: 1024, iterations: 2, parallelism: 1),
        "$argon2id$v=19$m=1024,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$avUvXNtnn/GNZVscoS8F6XVDSn5QnlrimsKMNNw4iI8"
    ),
    (
        "password", "saltsaltsaltsalt", Argon2Parameters(memoryKiB: 64, iterations: 3, parallelism: 2),
        "$argon2id$v=19$m=64,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$sC+XSNP5FptZ8gLpJ8TcZF7hdo1k8KgRqU4ZHXBKZp8"
    ),
    (
        "password", "saltsaltsaltsalt", .default,
        "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$T95q7S205tf9WI4HhYOZDIQmMMAbntacGXTIku0gXT8"
    ),
]

@Test func rawHashMatchesRFC9106Argon2idTestVector() throws {
    // RFC 9106 §5.3: m = 32 KiB, t = 3, p = 4, 32-byte tag, with secret and associated data.
    let argon2 = Argon2id(parameters: Argon2Parameters(memoryKiB: 32, iterations: 3, parallelism: 4, hashLength: 32))

    let tag = try argon2.rawHash(
        password: [UInt8](repeating: 0x01, count: 32),
        salt: [UInt8](repeating: 0x02, count: 16),
        secret: [UInt8](repeating: 0x03, count: 8),
        associatedData: [UInt8](repeating: 0x04, count: 12)
    )

    let hex = tag.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    #expect(hex == "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")
}

@Test(arguments: 0..<referenceHashes.count)
func encodedHashMatchesReferenceCLI(index: Int) throws {
    let reference = referenceHashes[index]

    let encoded = try Argon2id(parameters: reference.parameters).hash(
        Array(reference.password.utf8), salt: Array(reference.salt.utf8))

    #expect(encoded == reference.encoded)
}

@Test(arguments: 0..<referenceHashes.count)
func verifyAcceptsReferenceCLIHashesAndRejectsOtherPasswords(index: Int) {
    let reference = referenceHashes[index]

    #expect(Argon2id.verify(reference.password, encoded: reference.encoded))
    #expect(!Argon2id.verify(reference.password + "x", encoded: reference.encoded))
    #expect(!Argon2id.verify("", encoded: reference.encoded))
}

@Test func hashUsesAFreshSaltEachTime() throws {
    let argon2 = Argon2id(parameters: .testing)

    let first = try argon2.hash("same password")
    let second = try argon2.hash("same password")

    #expect(first != second)
    #expect(first.hasPrefix("$argon2id$v=19$m=8,t=1,p=1$"))
    #expect(Argon2id.verify("same password", encoded: first))
    #expect(Argon2id.verify("same password", encoded: second))
}

@Test func defaultParametersAreTheDesignedOnes() throws {
    let encoded = try Argon2id().hash("a password for the defaults")

    #expect(encoded.hasPrefix("$argon2id$v=19$m=19456,t=2,p=1$"))
}

@Test func verifyRejectsMalformedHashes() {
    for encoded in [
        "", "$argon2id$", "$argon2i$v=19$m=64,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$sC+XSNP5FptZ8gLpJ8TcZF7hdo1k8KgRqU4ZHXBKZp8",
        "not a hash",
    ] {
        #expect(!Argon2id.verify("password", encoded: encoded))
    }
}

@Test func needsRehashOnlyWhenParametersDiffer() {
    let stored = referenceHashes[2].encoded  // made with the defaults

    #expect(!Argon2id(parameters: .default).needsRehash(stored))
    #expect(Argon2id(parameters: Argon2Parameters(memoryKiB: 65_536, iterations: 2, parallelism: 1)).needsRehash(stored))
    #expect(Argon2id(parameters: Argon2Parameters(memoryKiB: 19_456, iterations: 3, parallelism: 1)).needsRehash(stored))
    #expect(Argon2id(parameters: .default).needsRehash("garbage"))
}

@Test func invalidParametersThrowInsteadOfCrashing() {
    let argon2 = Argon2id(parameters: Argon2Parameters(memoryKiB: 1, iterations: 0, parallelism: 1))

    #expect(throws: Argon2Error.self) { try argon2.hash("password") }
}
