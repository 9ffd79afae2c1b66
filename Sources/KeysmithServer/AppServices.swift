import KeysmithCore
import KeysmithStore

/// The shared parts the controllers are built from, made once in `buildApplication`.
struct AppServices: Sendable {
    let database: AppDatabase
    let views: Views
    let hasher: PasswordHasher
    let limiter: SignInLimiter
    let cookies: CookieJar
    let sessionPolicy: SessionPolicy
    let clock: AppClock
}
