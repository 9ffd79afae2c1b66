import Foundation
import KeysmithFuzzTargets
import Testing

/// `make fuzz`'s committed corpus, Fuzz/corpus/<target>/, replayed through the harnesses: an input that once broke a
/// property (or crashed) stays fixed, without libFuzzer or its build.
struct FuzzCorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/corpus")

    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusInputKeepsTheTargetsProperties(_ target: FuzzTarget) throws {
        let folder = Self.corpus.appendingPathComponent(target.rawValue)
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)

        for file in files {
            let input = try [UInt8](Data(contentsOf: file))
            do {
                try target.run(input)
            } catch {
                Issue.record("\(target.rawValue)/\(file.lastPathComponent): \(error)")
            }
        }

        #expect(files.count >= 10, "Fuzz/corpus/\(target.rawValue) has \(files.count) inputs")
    }
}
