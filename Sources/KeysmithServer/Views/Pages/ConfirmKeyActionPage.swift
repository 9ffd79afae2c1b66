import Foundation
import KeysmithCore

/// The page between a click and a change that breaks callers at once: disabling a key, and rotating it with no grace.
/// GET shows it and changes nothing; its form POSTs (with CSRF) to the action itself.
struct ConfirmKeyActionPage: PageModel {
    static let template = "keys/confirm"

    enum Action: Sendable {
        case disable
        case rotateNow
    }

    /// A hidden form field the POST carries.
    struct Field: Sendable {
        let name: String
        let value: String
    }

    let layout: Layout
    let key: KeySummary
    let heading: String
    let consequences: [String]
    let actionURL: String
    let fields: [Field]
    let buttonLabel: String
    /// A custom key's new secret is typed here (never carried over from another page).
    let asksForCustomSecret: Bool
    /// The gentler way, when there is one.
    let alternative: String?
    let alternativeURL: String?

    init(_ action: Action, key: APIKey, layout: Layout, now: Date) {
        let id = key.id.value
        self.layout = layout
        self.key = KeySummary(key, now: now)
        let lastUse =
            key.lastUsedAt.map {
                "It was last used \(DisplayDate($0, now: now).relative)\(key.lastUsedIP.map { " from \($0)" } ?? "")."
            }
            ?? "It has not been used yet."
        switch action {
        case .disable:
            heading = "Disable “\(key.name)”?"
            consequences = [
                "Every request with this key is refused from the next one on, with the code DISABLED.",
                lastUse,
                "Nothing is deleted: enable it again at any time and the same secret works again.",
            ]
            actionURL = SiteURL.keyAction(id, .disable).path
            fields = []
            buttonLabel = "Disable key"
            asksForCustomSecret = false
            alternative = nil
            alternativeURL = nil
        case .rotateNow:
            heading = "Rotate “\(key.name)” with no grace period?"
            consequences = [
                "A new secret is made"
                    + (key.tokenType == .custom ? " from the one you enter below." : " and shown to you once."),
                "The current secret\(key.hint.map { " (\($0))" } ?? "") stops working immediately: every program still "
                    + "using it fails on its next request.",
                lastUse,
            ]
            actionURL = SiteURL.keyAction(id, .rotate).path
            fields = [
                Field(name: "grace", value: RotationGrace.immediately.rawValue), Field(name: "confirm", value: "yes"),
            ]
            buttonLabel = "Rotate now"
            asksForCustomSecret = key.tokenType == .custom
            alternative = "To give your programs time to switch, rotate with a grace period instead."
            alternativeURL = SiteURL.key(id).path + "#rotate-heading"
        }
    }
}
