import CLibCrypto

/// HMAC-SHA-256 (RFC 2104) under one key. The key's inner and outer padded blocks are hashed once, here; each message
/// then costs two SHA-256 finishes from copies of those states, with no allocation and no algorithm lookup — which
/// is what the verification hot path (`SecretDigester`) needs from it.
public struct HMACSHA256: Sendable {
    private let inner: SHA256_CTX
    private let outer: SHA256_CTX

    public init(key: some Collection<UInt8>) {
        var block = key.count > SHA256.blockByteCount ? SHA256.hash(key).bytes : Array(key)
        block += [UInt8](repeating: 0, count: SHA256.blockByteCount - block.count)
        var inner = SHA256_CTX()
        SHA256_Init(&inner)
        SHA256.update(&inner, with: block.map { $0 ^ 0x36 })
        var outer = SHA256_CTX()
        SHA256_Init(&outer)
        SHA256.update(&outer, with: block.map { $0 ^ 0x5c })
        self.inner = inner
        self.outer = outer
    }

    /// A key of 32 bytes from the system's CSPRNG (`getrandom`), for a MAC that lives only as long as the process.
    public static func randomKey() -> HMACSHA256 {
        var generator = SystemRandomNumberGenerator()
        return HMACSHA256(key: (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    public func authenticationCode(for message: some Collection<UInt8>) -> SHA256Digest {
        var context = inner
        SHA256.update(&context, with: message)
        var innerDigest = SHA256.finish(&context)
        context = outer
        innerDigest.withUnsafeMutableBytes { bytes in _ = SHA256_Update(&context, bytes.baseAddress, bytes.count) }
        return SHA256.finish(&context)
    }

    /// Whether `code` is this key's MAC of `message`, compared in constant time (`CRYPTO_memcmp`).
    public func isValidAuthenticationCode(_ code: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
        let code = Array(code)
        guard code.count == SHA256.digestByteCount else { return false }
        return authenticationCode(for: message).withUnsafeBytes { expected in
            code.withUnsafeBytes { given in CRYPTO_memcmp(expected.baseAddress, given.baseAddress, SHA256.digestByteCount) == 0 }
        }
    }
}
