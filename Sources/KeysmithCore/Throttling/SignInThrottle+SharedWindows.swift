import Foundation

/// The throttle's windows kept in a store several nodes share (DESIGN §9), so a guesser gains nothing by spreading
/// attempts over the nodes. Each decision loads just the windows one attempt touches, runs the same `admit` or
/// `succeeded` as a node's own throttle, and hands back what to store: one rule, wherever its state lives.
extension SignInThrottle {
    /// The stored windows an attempt for `account` from `address` touches — its pair, its address and its account —
    /// each named for its budget, so one table holds all three.
    public static func windowKeys(account: String?, address: String) -> [String] {
        var keys = [Budget.address.key(address)]
        if let account { keys += [Budget.pair.key(pairKey(account, address)), Budget.account.key(account)] }
        return keys
    }

    /// The stored windows a reserved attempt touches, to give it back.
    public static func windowKeys(of attempt: Attempt) -> [String] {
        windowKeys(account: attempt.account, address: attempt.address)
    }

    /// A throttle that knows only `windows`, keyed as `windowKeys` names them, for one decision.
    public init(_ limits: Limits, windows: [String: AttemptWindow]) {
        // One attempt touches one key per budget: room for that, not for a node's worth of them.
        self.init(limits, capacity: 1)
        for (key, window) in windows {
            guard let (budget, budgetKey) = Budget.parse(key) else { continue }
            switch budget {
            case .pair: pairs.restore(window, for: budgetKey)
            case .address: addresses.restore(window, for: budgetKey)
            case .account: accounts.restore(window, for: budgetKey)
            }
        }
    }

    /// The windows under `keys` after a decision; a key missing from the answer has been forgotten.
    public func windows(for keys: [String]) -> [String: AttemptWindow] {
        var found: [String: AttemptWindow] = [:]
        for key in keys {
            guard let (budget, budgetKey) = Budget.parse(key) else { continue }
            let window =
                switch budget {
                case .pair: pairs.window(for: budgetKey)
                case .address: addresses.window(for: budgetKey)
                case .account: accounts.window(for: budgetKey)
                }
            if let window { found[key] = window }
        }
        return found
    }

    private enum Budget: String {
        case pair, address, account

        func key(_ budgetKey: String) -> String { rawValue + ":" + budgetKey }

        /// The budget a stored key belongs to, and its key there. (Addresses hold colons; the prefix never does.)
        static func parse(_ key: String) -> (Budget, String)? {
            guard let colon = key.firstIndex(of: ":"), let budget = Budget(rawValue: String(key[..<colon])) else {
                return nil
            }
            return (budget, String(key[key.index(after: colon)...]))
        }
    }
}
