/// A setting that cannot work (bad environment value, unwritable database, missing templates), said in one line.
struct ConfigurationError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
