import Foundation

/// Lifecycle of a key: `pending` → `active` ⇄ `disabled` are stored; `expired` is only ever derived from the expiry.
public enum KeyStatus: String, CaseIterable, Codable, Sendable {
    case pending
    case active
    case disabled
    case expired

    /// The statuses a database row may hold.
    public static let storedCases: [KeyStatus] = [.pending, .active, .disabled]

    /// The statuses a new key may start in: `active` (gets its first secret now), `pending` (no secret until it is
    /// activated) or `disabled` — it gets its secret now, but every request is refused until it is enabled, for a
    /// key handed out before it may be used (seed 003's "inactive").
    public static let initialCases: [KeyStatus] = [.active, .pending, .disabled]

    /// A new key's status as named by a form or a request body; nil for anything not in `initialCases`.
    public init?(initial text: String) {
        guard let status = KeyStatus(rawValue: text.trimmingWhitespace().lowercased()), Self.initialCases.contains(status)
        else { return nil }
        self = status
    }

    /// The status to show and enforce: an expiry at or before `now` wins over any stored status.
    public func effective(expiresAt: Date?, now: Date) -> KeyStatus {
        if let expiresAt, expiresAt <= now { return .expired }
        return self
    }

    /// The stored status after `action`, or the `KeyError` explaining why it is not allowed from this stored status.
    public func applying(_ action: KeyAction) throws(KeyError) -> KeyStatus {
        switch (action, self) {
        case (.activate, .pending): .active
        case (.activate, _): throw .cannotActivate(self)
        case (.rotate, .active), (.rotate, .disabled): self
        case (.rotate, _): throw .cannotRotate(self)
        case (.disable, .active): .disabled
        case (.disable, _): throw .cannotDisable(self)
        case (.enable, .disabled): .active
        case (.enable, _): throw .cannotEnable(self)
        }
    }
}
