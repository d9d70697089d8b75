import Testing
@testable import RxSynth

@Suite("Determinism")
struct DeterminismTests {
    @Test("the same seed gives byte-identical files, whatever the thread count")
    func sameSeed() throws {
        // 2,500 members span two blocks, so three threads really split the work.
        let single = try Generated(members: 2_500, seed: 3, corruptionPerMillion: 2_000, threads: 1)
        let again = try Generated(members: 2_500, seed: 3, corruptionPerMillion: 2_000, threads: 1)
        let parallel = try Generated(members: 2_500, seed: 3, corruptionPerMillion: 2_000, threads: 3)
        #expect(single.files == again.files)
        #expect(single.files == parallel.files)
        #expect(single.summary == parallel.summary)
    }

    @Test("a different seed gives different files")
    func differentSeed() throws {
        let first = try Generated(members: 300, seed: 3)
        let second = try Generated(members: 300, seed: 4)
        for file in SynthFile.allCases {
            #expect(first.files[file.fileName] != second.files[file.fileName], "\(file)")
        }
        // The catalogue does not depend on the seed.
        #expect(first.files["valuesets/statins.csv"] == second.files["valuesets/statins.csv"])
    }

    @Test("a member's records do not depend on how many members follow it")
    func prefixStable() throws {
        let small = try Generated(members: 100, seed: 8)
        let large = try Generated(members: 400, seed: 8)
        for file in SynthFile.allCases {
            let smallLines = small.table(file).lines
            let largeLines = large.table(file).lines
            #expect(Array(largeLines.prefix(smallLines.count)) == smallLines, "\(file)")
        }
    }
}
