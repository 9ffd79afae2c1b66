/// What a parsed secret looked like: `generated` means shape and CRC-32 verified; `custom` skipped the checksum.
public enum SecretKind: String, Sendable, Hashable {
    case generated
    case custom
}
