import CArgon2

extension Argon2id {
    /// libargon2 mallocs its whole memory cost (19 MiB by default) for every hash. glibc serves a block that big
    /// with mmap and unmaps it at free, but then raises its mmap threshold to that size, so later hashes come from
    /// per-thread arenas that are never given back: RSS grew by 100 MB under a flood of wrong secrets. Fixing the
    /// threshold turns that adjustment off, so every hash's memory returns to the system when it ends.
    /// Process-wide and idempotent.
    public static func returnMemoryAfterEachHash() {
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 20)
    }
}
