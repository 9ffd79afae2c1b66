import CArgon2

/// Argon2id hashing in PHC string format (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`) over the system libargon2.
///
/// Synchronous and CPU-bound by design (tens of milliseconds at the defaults): callers in a server run it off
/// the request executor; see `PasswordHasher` in KeysmithServer.
public struct Argon2id: Sendable {
    public let parameters: Argon2Parameters

    public init(parameters: Argon2Parameters = .default) {
        self.parameters = parameters
    }

    /// Hashes with a fresh random salt and returns the encoded string, which carries salt and parameters.
    public func hash(_ password: String) throws(Argon2Error) -> String {
        var generator = SystemRandomNumberGenerator()
        let salt = (0..<parameters.saltLength).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return try hash(Array(password.utf8), salt: salt)
    }

    /// Hashes with the given salt; deterministic, which is what tests against known vectors need.
    public func hash(_ password: [UInt8], salt: [UInt8]) throws(Argon2Error) -> String {
        let p = parameters
        let length = argon2_encodedlen(
            p.iterations, p.memoryKiB, p.parallelism, UInt32(salt.count), UInt32(p.hashLength), Argon2_id)
        var encoded = [CChar](repeating: 0, count: length)
        let status = argon2id_hash_encoded(
            p.iterations, p.memoryKiB, p.parallelism, password, password.count, salt, salt.count, p.hashLength, &encoded, length
        )
        try Self.check(status)
        return String(decoding: encoded.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Constant-time check of a password against an encoded hash; false for a wrong password or a malformed hash.
    public static func verify(_ password: String, encoded: String) -> Bool {
        let bytes = Array(password.utf8)
        return argon2id_verify(encoded, bytes, bytes.count) == ARGON2_OK.rawValue
    }

    /// True when `encoded` was made with other parameters than ours, so a successful sign-in should store a new hash.
    public func needsRehash(_ encoded: String) -> Bool {
        guard let used = EncodedArgon2Hash(encoded) else { return true }
        return used.memoryKiB != parameters.memoryKiB || used.iterations != parameters.iterations
            || used.parallelism != parameters.parallelism || used.hashLength != parameters.hashLength
    }

    /// The raw tag with optional secret (pepper) and associated data, as RFC 9106 defines Argon2id.
    public func rawHash(password: [UInt8], salt: [UInt8], secret: [UInt8] = [], associatedData: [UInt8] = []) throws(Argon2Error)
        -> [UInt8]
    {
        var out = [UInt8](repeating: 0, count: parameters.hashLength)
        var password = password
        var salt = salt
        var secret = secret
        var associatedData = associatedData
        let status = out.withUnsafeMutableBufferPointer { outBuffer in
            password.withUnsafeMutableBufferPointer { pwd in
                salt.withUnsafeMutableBufferPointer { saltBuffer in
                    secret.withUnsafeMutableBufferPointer { secretBuffer in
                        associatedData.withUnsafeMutableBufferPointer { ad in
                            var context = argon2_context(
                                out: outBuffer.baseAddress, outlen: UInt32(outBuffer.count),
                                pwd: pwd.baseAddress, pwdlen: UInt32(pwd.count),
                                salt: saltBuffer.baseAddress, saltlen: UInt32(saltBuffer.count),
                                secret: secretBuffer.baseAddress, secretlen: UInt32(secretBuffer.count),
                                ad: ad.baseAddress, adlen: UInt32(ad.count),
                                t_cost: parameters.iterations, m_cost: parameters.memoryKiB,
                                lanes: parameters.parallelism, threads: parameters.parallelism,
                                version: UInt32(ARGON2_VERSION_13.rawValue),
                                allocate_cbk: nil, free_cbk: nil, flags: 0  // ARGON2_DEFAULT_FLAGS, a macro Swift cannot import
                            )
                            return argon2_ctx(&context, Argon2_id)
                        }
                    }
                }
            }
        }
        try Self.check(status)
        return out
    }

    private static func check(_ status: Int32) throws(Argon2Error) {
        guard status == ARGON2_OK.rawValue else {
            throw Argon2Error(code: status, message: String(cString: argon2_error_message(status)))
        }
    }
}
