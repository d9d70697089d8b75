import Foundation
import Testing

@testable import RxLanguage

/// The checker never traps on broken input: every mutation of the sample packs gets diagnostics with
/// valid locations, and the run stays fast.
@Suite("Checker robustness")
struct CheckerRobustnessTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mutate(_ bytes: [UInt8], using generator: inout Generator) -> [UInt8] {
        var bytes = bytes
        guard !bytes.isEmpty else { return bytes }
        let position = Int.random(in: 0..<bytes.count, using: &generator)
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
        case 1: bytes.remove(at: position)
        case 2: bytes = Array(bytes[..<position])
        case 3:
            let end = min(bytes.count, position + Int.random(in: 1...40, using: &generator))
            bytes.insert(contentsOf: bytes[position..<end], at: position)
        default:
            // Swap in a token from elsewhere, which keeps the text plausible.
            let words = ["define", "where", "??", "days", "(", ")", "=", "and", "[", "]", ",", "..", "ipsd", "fills", "\n  "]
            bytes.insert(contentsOf: Array(words[Int.random(in: 0..<words.count, using: &generator)].utf8), at: position)
        }
        return bytes
    }

    @Test("thousands of mutations of the sample packs check without trapping, locations in bounds")
    func mutations() throws {
        var generator = Generator(state: 20_261_123)
        let folders = try ["adherence-sample", "contract-sample", "edits-sample"].map {
            try PackFolder.load(path: GoldenFiles.sourceDirectory("packs").appendingPathComponent($0).path)
        }
        let start = ContinuousClock.now
        for round in 0..<1_000 {
            var folder = folders[round % folders.count]
            let ruleIndices = folder.files.indices.filter { folder.files[$0].relativePath.hasSuffix(".rules") || folder.files[$0].relativePath.hasSuffix(".csv") }
            let index = ruleIndices[Int.random(in: 0..<ruleIndices.count, using: &generator)]
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                folder.files[index].bytes = Self.mutate(folder.files[index].bytes, using: &generator)
            }
            let result = PackChecker.check(folder: folder)
            let sizes = Dictionary(uniqueKeysWithValues: result.sources.map { ($0.id, $0.bytes.count) })
            for diagnostic in result.diagnostics {
                let ranges = [diagnostic.range] + diagnostic.notes.compactMap(\.range)
                for range in ranges {
                    let size = try #require(sizes[range.file], "round \(round): a range names an unknown file")
                    #expect(range.start >= 0 && range.start <= range.end && range.end <= size, "round \(round): \(range)")
                }
            }
        }
        #expect(ContinuousClock.now - start < .seconds(60))
    }
}
