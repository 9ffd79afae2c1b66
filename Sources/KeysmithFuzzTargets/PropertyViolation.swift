/// A promise a parser broke for one input: libFuzzer's entry point turns it into a crash (and so a saved input),
/// the corpus replay test into a failure. Refusing an input is never a violation.
public struct PropertyViolation: Error, CustomStringConvertible {
    public let description: String
}

/// Throws a `PropertyViolation` naming `property` unless `condition` holds; the message is built only then.
func expect(_ condition: Bool, _ property: @autoclosure () -> String) throws(PropertyViolation) {
    guard condition else { throw PropertyViolation(description: property()) }
}
