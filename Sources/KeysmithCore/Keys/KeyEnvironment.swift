/// Which world a key unlocks; part of the key id (`ks_live_…`), so it never changes after creation.
public enum KeyEnvironment: String, CaseIterable, Codable, Sendable {
    case live
    case sandbox
}
