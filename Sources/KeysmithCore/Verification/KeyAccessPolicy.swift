import Foundation

/// The checks after the secret matched, in the order a caller learns about them: status, expiry, IP, scope.
public struct KeyAccessPolicy: Sendable {
    public var status: KeyStatus
    public var expiresAt: Date?
    public var ipAllowlist: IPAllowlist
    public var scopes: ScopeSet

    public init(status: KeyStatus, expiresAt: Date?, ipAllowlist: IPAllowlist, scopes: ScopeSet) {
        self.status = status
        self.expiresAt = expiresAt
        self.ipAllowlist = ipAllowlist
        self.scopes = scopes
    }

    /// `valid` or the first reason to refuse. An empty allowlist admits every address; an unknown client
    /// address is refused by a non-empty one.
    public func evaluate(clientIP: IPAddress?, requiredScope: Scope?, now: Date) -> VerificationCode {
        switch status.effective(expiresAt: expiresAt, now: now) {
        case .pending: return .pending
        case .disabled: return .disabled
        case .expired: return .expired
        case .active: break
        }
        if !ipAllowlist.isEmpty {
            guard let clientIP, ipAllowlist.contains(clientIP) else { return .ipNotAllowed }
        }
        if let requiredScope, !scopes.grants(requiredScope) { return .insufficientScope }
        return .valid
    }
}
