import Foundation

/// The budgets that guard a password check — sign-in, sign-up, the console's password re-check (issue 14.1–14.3).
///
/// - Attempts are *reserved* before the ~100 ms hash runs, so forty parallel guesses cannot all slip through while
///   none has been counted yet; a success gives its reservation back.
/// - One account from one address has a small budget (`perAccountAndAddress`); one address across every account a
///   larger one (`perAddress`). Spending either answers 429.
/// - An account is never locked from elsewhere: once it has seen `slowAfter` attempts from anywhere, every further
///   attempt for it waits `slowdown` first. A stranger's guesses slow the real user down; they cannot shut them out.
/// - Keys are what the caller normalized (a parsed email, an address), and every map is a bounded LRU.
///
/// A value type with no clock: callers pass `now`.
public struct SignInThrottle: Sendable {
    public struct Limits: Sendable, Equatable {
        public var perAccountAndAddress: Int
        public var perAddress: Int
        public var slowAfter: Int
        public var slowdown: TimeInterval
        public var window: TimeInterval
        public var capacity: Int

        public init(
            perAccountAndAddress: Int = 10, perAddress: Int = 100, slowAfter: Int = 10, slowdown: TimeInterval = 1,
            window: TimeInterval = 15 * 60, capacity: Int = 50_000
        ) {
            self.perAccountAndAddress = perAccountAndAddress
            self.perAddress = perAddress
            self.slowAfter = slowAfter
            self.slowdown = slowdown
            self.window = window
            self.capacity = capacity
        }

        /// Sign-in: ten guesses per account and address, a hundred per address.
        public static let signIn = Limits()
        /// Sign-up costs a hash and creates an account: ten attempts per address, whatever the email.
        public static let signUp = Limits(perAddress: 10)
    }

    /// A reserved attempt: check the password, then report a success with `succeeded(_:)`.
    public struct Attempt: Sendable, Equatable {
        let account: String?
        let address: String
        let reservedAt: Date
        /// How long to wait before checking, when the account is under a spray of attempts.
        public let delay: TimeInterval
    }

    public enum Admission: Sendable, Equatable {
        case admitted(Attempt)
        /// Whole seconds until a budget that refused has a new window.
        case refused(retryAfter: Int)
    }

    public let limits: Limits
    var pairs: AttemptBudget
    var addresses: AttemptBudget
    var accounts: AttemptBudget

    public init(_ limits: Limits) {
        self.init(limits, capacity: limits.capacity)
    }

    /// Budgets that track at most `capacity` keys each (a node's throttle: `limits.capacity`).
    init(_ limits: Limits, capacity: Int) {
        self.limits = limits
        pairs = AttemptBudget(limit: limits.perAccountAndAddress, window: limits.window, capacity: capacity)
        addresses = AttemptBudget(limit: limits.perAddress, window: limits.window, capacity: capacity)
        accounts = AttemptBudget(limit: limits.slowAfter, window: limits.window, capacity: capacity)
    }

    /// Reserves one attempt for `account` (nil when the form named none that parses) from `address`, or says how
    /// long to wait. Nothing is taken when the answer is `refused`.
    public mutating func admit(account: String?, address: String, now: Date) -> Admission {
        let pair = account.map { Self.pairKey($0, address) }
        if let pair, !pairs.reserve(pair, now: now) {
            return .refused(retryAfter: Self.wholeSeconds(pairs.resetsIn(pair, now: now)))
        }
        guard addresses.reserve(address, now: now) else {
            if let pair { pairs.release(pair, reservedAt: now) }
            return .refused(retryAfter: Self.wholeSeconds(addresses.resetsIn(address, now: now)))
        }
        var delay: TimeInterval = 0
        if let account, !accounts.reserve(account, now: now) { delay = limits.slowdown }
        return .admitted(Attempt(account: account, address: address, reservedAt: now, delay: delay))
    }

    /// The password was right: the account and address pair starts afresh, the other budgets get the attempt back.
    public mutating func succeeded(_ attempt: Attempt) {
        addresses.release(attempt.address, reservedAt: attempt.reservedAt)
        guard let account = attempt.account else { return }
        pairs.forget(Self.pairKey(account, attempt.address))
        accounts.release(account, reservedAt: attempt.reservedAt)
    }

    /// Entries held across the three budgets; each is bounded by `limits.capacity`.
    public var trackedKeys: Int { pairs.trackedKeys + addresses.trackedKeys + accounts.trackedKeys }

    /// The unit separator: no parsed email nor address holds it, and PostgreSQL's text can (it refuses NUL).
    static func pairKey(_ account: String, _ address: String) -> String { account + "\u{1F}" + address }

    private static func wholeSeconds(_ interval: TimeInterval) -> Int { max(1, Int(interval.rounded(.up))) }
}
