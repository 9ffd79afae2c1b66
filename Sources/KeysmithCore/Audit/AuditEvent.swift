/// One thing that happened, before the store stamps it with who, where from and when.
public struct AuditEvent: Sendable, Equatable {
    public var action: AuditAction
    /// The object acted on, such as a key id; nil for account-level events.
    public var subject: String?
    /// A short, secret-free detail such as "ks → acme".
    public var detail: String?

    public init(_ action: AuditAction, subject: String? = nil, detail: String? = nil) {
        self.action = action
        self.subject = subject
        self.detail = detail
    }
}
