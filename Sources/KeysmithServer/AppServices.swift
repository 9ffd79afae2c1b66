import KeysmithCore
import KeysmithStore

/// The shared parts the controllers are built from, made once in `buildApplication`.
struct AppServices: Sendable {
    let database: any Store
    let views: Views
    let hasher: PasswordHasher
    let signIns: SignInLimiter
    let signUps: SignInLimiter
    let passwordChecks: SignInLimiter
    let cookies: CookieJar
    let sessionPolicy: SessionPolicy
    let clock: AppClock
    /// Every key change goes through it (DESIGN §7.8).
    let keys: KeyWriter
    let ledger: QuotaLedger
    let writeBehind: WriteBehindService
    let signupMode: SignupMode

    /// Writes the uses this node has counted but not yet written, so a page or API answer about usage (counts,
    /// last used) includes every verification answered before it. Cheap when nothing is pending.
    func writePendingUsage() async {
        await writeBehind.flush()
    }
}
