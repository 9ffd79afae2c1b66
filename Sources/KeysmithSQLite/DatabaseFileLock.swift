import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An advisory `flock` on the database file: `keysmith serve` holds it shared for as long as it runs, `keysmith
/// restore` asks for it exclusively, so a restore can tell that a server still has the file open.
///
/// `flock`, not `fcntl`: SQLite's own locks are `fcntl` locks, which a process loses when it closes *any* descriptor
/// of the file; `flock` locks are separate and leave them alone. The descriptor stays open until `release()`.
public final class DatabaseFileLock: Sendable {
    public enum Mode: Sendable { case shared, exclusive }

    private let descriptor: Int32

    /// Takes the lock without waiting; nil when another process holds a conflicting one.
    public init?(path: String, mode: Mode) throws {
        let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        guard flock(descriptor, (mode == .shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else {
            Glibc.close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit {
        Glibc.close(descriptor)
    }
}
