import Foundation

/// What a use did to a key's quota.
public enum QuotaOutcome: Sendable, Equatable {
    /// The key has no quota.
    case unlimited
    /// The use was counted; this many are left.
    case remaining(Int)
    /// Nothing left; the use was refused and not counted. `refillsAt` for monthly quotas.
    case exhausted(refillsAt: Date?)
    /// The key was deleted, disabled, expired or re-secreted while its secret was being checked: nothing counted.
    case revoked

    public var remaining: Int? {
        switch self {
        case .unlimited: nil
        case .remaining(let left): left
        case .exhausted: 0
        case .revoked: nil
        }
    }
}
