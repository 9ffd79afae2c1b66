import Foundation
import KeysmithFuzzTargets

/// Which target this process runs: the first argument, or `KEYSMITH_FUZZ_TARGET` when libFuzzer restarts the binary
/// (`-merge=1`, `-fork`) with its own flags only.
enum FuzzSelection {
    static let environmentKey = "KEYSMITH_FUZZ_TARGET"

    /// Whether the first argument names the target.
    static let isNamed = CommandLine.arguments.count > 1 && FuzzTarget(rawValue: CommandLine.arguments[1]) != nil

    static let target: FuzzTarget? =
        isNamed
        ? FuzzTarget(rawValue: CommandLine.arguments[1])
        : ProcessInfo.processInfo.environment[environmentKey].flatMap(FuzzTarget.init(rawValue:))

    /// The arguments after the target.
    static var operands: [String] { Array(CommandLine.arguments.dropFirst(isNamed ? 2 : 1)) }
}
