import CLibCrypto

/// SHA-256 (FIPS 180-4) from the system's libcrypto.
public enum SHA256 {
    public static let digestByteCount = 32
    /// SHA-256 works on 64-byte blocks; HMAC pads its key to one.
    static let blockByteCount = 64

    public static func hash(_ message: some Collection<UInt8>) -> SHA256Digest {
        var context = SHA256_CTX()
        SHA256_Init(&context)
        update(&context, with: message)
        return finish(&context)
    }

    static func update(_ context: inout SHA256_CTX, with message: some Collection<UInt8>) {
        let done = message.withContiguousStorageIfAvailable { bytes in
            _ = SHA256_Update(&context, bytes.baseAddress, bytes.count)
        }
        if done == nil {
            let copy = Array(message)
            copy.withUnsafeBufferPointer { bytes in _ = SHA256_Update(&context, bytes.baseAddress, bytes.count) }
        }
    }

    static func finish(_ context: inout SHA256_CTX) -> SHA256Digest {
        var digest = SHA256Digest()
        digest.withUnsafeMutableBytes { bytes in
            _ = SHA256_Final(bytes.bindMemory(to: UInt8.self).baseAddress, &context)
        }
        return digest
    }
}
