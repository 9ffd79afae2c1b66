import KeysmithCore

/// The limits of each password check Keysmith runs.
public struct SignInLimits: Sendable, Equatable {
    public var signIn = SignInThrottle.Limits.signIn
    public var signUp = SignInThrottle.Limits.signUp
    /// The console's re-check before a password change or an account deletion (a stolen session must not guess).
    public var passwordCheck = SignInThrottle.Limits.signIn

    public init() {}
}
