import Foundation

/// A user: someone who signs in to the console (DESIGN §11). The password is only ever stored as an Argon2id encoded
/// hash. What they can reach comes from their memberships.
public struct AccountRecord: Codable, Sendable, Equatable {
    public var id: Int64?
    public var email: String
    public var passwordHash: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(email: String, passwordHash: String, now: Date) {
        self.email = email
        self.passwordHash = passwordHash
        self.createdAt = now
        self.updatedAt = now
    }
}
