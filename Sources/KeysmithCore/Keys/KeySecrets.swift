import Foundation

/// The secrets a key accepts, as Argon2id hashes: the current one and every rotated-out one whose announced grace
/// period has not ended. Each rotation keeps the graces announced before it (DESIGN §8): rotating with 7 days after
/// rotating with 1 hour leaves the first secret its hour and the second its week.
///
/// Every hash carries the hint of its secret (last four characters), so a presented secret is checked against the
/// one hash it can belong to instead of one Argon2 run per secret in grace.
public struct KeySecrets: Hashable, Sendable {
    /// One stored secret: its Argon2id encoding and its public hint (`ks_live_7Hq2…wX9a`).
    public struct Stored: Hashable, Sendable, Codable {
        public let hash: String
        public let hint: String

        public init(hash: String, hint: String) {
            self.hash = hash
            self.hint = hint
        }
    }

    /// A rotated-out secret and the instant (exclusive) its grace ends.
    public struct Retired: Hashable, Sendable, Codable {
        public let secret: Stored
        public let until: Date

        public init(secret: Stored, until: Date) {
            self.secret = secret
            self.until = until
        }
    }

    /// nil while a generated key is pending: there is nothing to present yet.
    public private(set) var current: Stored?
    /// Oldest first; may hold ended graces until the next rotation prunes them. `live(at:)` filters.
    public private(set) var retired: [Retired]

    public init(current: Stored? = nil, retired: [Retired] = []) {
        self.current = current
        self.retired = retired
    }

    public static let none = KeySecrets()

    /// The hashes a presented secret may match at `now`: the current one first, then those still in grace.
    public func liveHashes(at now: Date) -> [String] {
        (current.map { [$0.hash] } ?? []) + retired.filter { now < $0.until }.map(\.secret.hash)
    }

    /// True when `hash` is the current secret or a retired one still in grace at `now`.
    public func accepts(hash: String, at now: Date) -> Bool {
        current?.hash == hash || retired.contains { $0.secret.hash == hash && now < $0.until }
    }

    /// True when `hash` is one of the key's secrets at all, current or retired, whatever its grace.
    public func holds(hash: String) -> Bool {
        current?.hash == hash || retired.contains { $0.secret.hash == hash }
    }

    /// The live hashes whose hint ends like `secret` (usually exactly one), else the first live hash: a wrong secret
    /// costs one Argon2 run as a right one does, so the answer time tells nothing, however many secrets are in grace.
    public func candidateHashes(for secret: String, at now: Date) -> [String] {
        let live = ([current].compactMap { $0 }) + retired.filter { now < $0.until }.map(\.secret)
        let suffix = secret.suffix(Self.hintSuffixLength)
        // A hash stored before hints were kept (empty hint) may belong to any secret.
        let matching = live.filter { $0.hint.isEmpty || $0.hint.hasSuffix(suffix) }.map(\.hash)
        return matching.isEmpty ? Array(live.prefix(1).map(\.hash)) : matching
    }

    /// When the last secret in grace stops working, if any still is at `now`.
    public func graceEnds(after now: Date) -> Date? {
        retired.filter { now < $0.until }.map(\.until).max()
    }

    /// A new current secret. The old one keeps working until `grace` has passed (not at all for `.immediately`);
    /// secrets already in grace keep theirs; ended graces are dropped.
    public func rotated(to secret: Stored, grace: RotationGrace, now: Date) -> KeySecrets {
        var kept = retired.filter { now < $0.until }
        if let current, grace != .immediately {
            kept.append(Retired(secret: current, until: grace.oldSecretExpiry(rotatedAt: now)))
        }
        return KeySecrets(current: secret, retired: kept)
    }

    /// The current secret alone: every rotated-out one stops working now, whatever grace it was given.
    public func endingGrace() -> KeySecrets {
        KeySecrets(current: current, retired: [])
    }

    /// The first secret of a pending key.
    public func activated(with secret: Stored) -> KeySecrets {
        KeySecrets(current: secret, retired: retired)
    }

    /// The same secrets with `old` re-encoded as `new` (raised Argon2 parameters); nil when `old` is no longer current.
    public func upgrading(currentHash old: String, to new: String) -> KeySecrets? {
        guard let current, current.hash == old else { return nil }
        return KeySecrets(current: Stored(hash: new, hint: current.hint), retired: retired)
    }

    /// How many trailing characters of a secret its hint shows (DESIGN §10).
    public static let hintSuffixLength = 4
}
