/// Whether a key acts for a person or for a service; informational, it changes no policy.
public enum OwnerType: String, CaseIterable, Codable, Sendable {
    case personal
    case service
}
