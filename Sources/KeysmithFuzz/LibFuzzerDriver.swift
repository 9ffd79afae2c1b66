#if FUZZING
    import CLibFuzzer
    import Foundation
    import KeysmithFuzzTargets

    /// Hands a harness to libFuzzer, which owns the process from then on. `LLVMFuzzerRunDriver` comes from
    /// libclang_rt.fuzzer_no_main (Fuzz/run.sh links it), so the binary keeps its own `main`; a broken property traps,
    /// which libFuzzer reports as a crash and saves the input of.
    enum LibFuzzerDriver {
        static func run(_ target: FuzzTarget) -> Int32 {
            // libFuzzer restarts the binary with the arguments it was given: they must not hold the target's name.
            setenv(FuzzSelection.environmentKey, target.rawValue, 1)
            var argc = CommandLine.argc
            var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
            if FuzzSelection.isNamed {
                argc -= 1
                argv = CommandLine.unsafeArgv + 1
                argv?[0] = CommandLine.unsafeArgv[0]
            }
            return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
                let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
                do {
                    try FuzzSelection.target?.run(input)
                } catch {
                    fatalError("\(FuzzSelection.target?.rawValue ?? "?"): \(error)")
                }
                return 0
            }
        }
    }
#endif
