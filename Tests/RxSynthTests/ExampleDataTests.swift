import Foundation
import Testing
@testable import RxSynth

/// The bundled example folders and the configurations that made them (see each MANIFEST.txt).
private let examples: [(folder: String, configuration: SynthConfiguration)] = [
    ("examples/data", SynthConfiguration(members: 400, seed: 13)),
    ("examples/data-dirty", SynthConfiguration(members: 200, seed: 3, corruptionPerMillion: 3_000)),
]

/// The repository root, found from this file's place in it (Tests/RxSynthTests/<file>).
private func repositoryRoot() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
}

@Suite("Bundled example data")
struct ExampleDataTests {
    @Test("the committed example folders are exactly what the generator makes", arguments: [0, 1])
    func noDrift(example: Int) throws {
        let (folder, configuration) = examples[example]
        let generated = try SynthGenerator(configuration: configuration).generateInMemory().files
        let base = repositoryRoot().appendingPathComponent(folder)
        for path in SynthGenerator.relativePaths {
            let committed = Array(try Data(contentsOf: base.appendingPathComponent(path)))
            let expected = generated[path] ?? []
            // Name the first line that differs rather than dumping megabytes of bytes.
            let committedLines = committed.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            let expectedLines = expected.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            let firstDifference = zip(committedLines, expectedLines).enumerated()
                .first { $0.element.0 != $0.element.1 }?.offset ?? min(committedLines.count, expectedLines.count)
            #expect(committed == expected, """
                \(folder)/\(path) drifted at line \(firstDifference + 1): regenerate with its MANIFEST.txt
                """)
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: base.path).sorted()
        #expect(names == ["MANIFEST.txt", "enrollment.csv", "medical_claims.csv", "members.csv", "observations.csv",
                          "pharmacy_claims.csv", "valuesets"])
    }

    @Test("writing to a folder gives the same bytes as generating in memory")
    func writeMatchesMemory() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("rxsynth-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let generator = try SynthGenerator(configuration: SynthConfiguration(
            members: 2_100, seed: 12, corruptionPerMillion: 1_000, threads: 2))
        let summary = try generator.write(toDirectory: folder.path)
        let (files, memorySummary) = generator.generateInMemory()
        #expect(summary == memorySummary)
        for path in SynthGenerator.relativePaths {
            let written = try Data(contentsOf: folder.appendingPathComponent(path))
            #expect(Array(written) == files[path], "\(path)")
        }
    }

    @Test("an unwritable folder is a typed error naming the path")
    func unwritable() throws {
        let generator = try SynthGenerator(configuration: SynthConfiguration(members: 1, seed: 1))
        let blocker = FileManager.default.temporaryDirectory
            .appendingPathComponent("rxsynth-file-\(UInt32.random(in: 0...UInt32.max))")
        try Data("x".utf8).write(to: blocker)
        defer { try? FileManager.default.removeItem(at: blocker) }
        do {
            _ = try generator.write(toDirectory: blocker.path + "/out")
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(blocker.path))
        }
    }
}
