import Foundation

/// Lifecycle of a key: `pending` → `active` ⇄ `disabled` are stored; `expired` is only ever derived from the expiry.
public enum KeyStatus: String, CaseIterable, Codable, Sendable {
    case pending
    case active
    case disabled
    case expired

    /// The statuses a database row may hold.
    public static let storedCases: [KeyStatus] = [.pending, .active, .disabled]

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
