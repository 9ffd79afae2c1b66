/// The parameters read back from a PHC string, so a stored hash can be compared with today's settings.
struct EncodedArgon2Hash: Equatable {
    let memoryKiB: UInt32
    let iterations: UInt32
    let parallelism: UInt32
    let hashLength: Int

    /// Parses `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`; nil for anything else.
    init?(_ encoded: String) {
        let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 6, fields[0].isEmpty, fields[1] == "argon2id", fields[2] == "v=19" else { return nil }
        var values: [Substring: UInt32] = [:]
        for pair in fields[3].split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = UInt32(parts[1]) else { return nil }
            values[parts[0]] = value
        }
        guard let m = values["m"], let t = values["t"], let p = values["p"] else { return nil }
        (memoryKiB, iterations, parallelism) = (m, t, p)
        // Unpadded base64: 4 characters carry 3 bytes.
        hashLength = fields[5].utf8.count * 3 / 4
    }
}
