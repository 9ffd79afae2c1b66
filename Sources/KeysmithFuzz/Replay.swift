import Foundation
import KeysmithFuzzTargets

/// Runs saved inputs through a harness, one input per file, as the corpus and libFuzzer's crash files keep them.
enum Replay {
    static func run(_ target: FuzzTarget, paths: [String]) -> Int32 {
        var inputs = 0
        var violations = 0
        for file in paths.flatMap(files) {
            guard let data = FileManager.default.contents(atPath: file) else {
                print("\(file): cannot be read")
                violations += 1
                continue
            }
            inputs += 1
            do {
                try target.run(Array(data))
            } catch {
                print("\(file): \(error)")
                violations += 1
            }
        }
        print("\(target.rawValue): \(inputs) inputs, \(violations) broken properties")
        return inputs > 0 && violations == 0 ? 0 : 1
    }

    /// A folder's files, sorted, or the file itself.
    private static func files(at path: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [path] }
        return names.sorted().map { (path as NSString).appendingPathComponent($0) }
    }
}
