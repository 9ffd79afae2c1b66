/// A lifecycle action on a key; raw values match the API paths (`POST /keys/{id}/activate`).
public enum KeyAction: String, CaseIterable, Codable, Sendable {
    case activate
    case rotate
    case disable
    case enable
}
