/// A libargon2 failure, carrying its own message; never the password.
public struct Argon2Error: Error, Equatable, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public var description: String { "argon2: \(message) (\(code))" }
}
