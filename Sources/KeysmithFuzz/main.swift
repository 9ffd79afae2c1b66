import Foundation
import KeysmithFuzzTargets

// keysmith-fuzz <target> <file or folder>...: every input through the target's harness, each broken property
// reported. Built by Fuzz/run.sh (-DFUZZING, libFuzzer linked), the harness goes to libFuzzer instead:
// keysmith-fuzz <target> [libFuzzer flags] [corpus folders].

guard let target = FuzzSelection.target else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    FileHandle.standardError.write(Data("usage: keysmith-fuzz <target> <file or folder>...\ntargets: \(names)\n".utf8))
    exit(64)
}
#if FUZZING
    exit(LibFuzzerDriver.run(target))
#else
    exit(Replay.run(target, paths: FuzzSelection.operands))
#endif
