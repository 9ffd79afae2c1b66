/// A flash as the layout shows it; `role` is stored because Mustache cannot read computed properties.
struct FlashBox: Sendable {
    let kind: String
    let message: String
    /// Errors interrupt screen readers (`alert`); the rest wait politely (`status`).
    let role: String

    init(_ flash: Flash) {
        kind = flash.kind.rawValue
        message = flash.message
        role = flash.kind == .error ? "alert" : "status"
    }
}
