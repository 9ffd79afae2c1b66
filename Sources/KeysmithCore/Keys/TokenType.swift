/// Whether Keysmith generates the secret (shape + CRC-32 checked offline) or the user supplies it (no checksum).
public enum TokenType: String, CaseIterable, Codable, Sendable {
    case generated
    case custom
}
