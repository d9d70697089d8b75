import Foundation
import Testing

@testable import RxLanguage

/// Golden tests of the checker's rendered diagnostics.
///
/// Each folder under `Fixtures/semantic/` is a small pack with one kind of mistake. The folder is
/// named after the diagnostic ID it must produce (`unknownName`, or `malformedCode-csv` for a
/// second case of the same ID); an optional `overrides.txt` holds `--param` lines. The rendered
/// output is compared with `Fixtures/semantic-expected/<folder>.expected`. `RECORD_GOLDEN=1`
/// re-records them (see `GoldenFiles`): a recording run fails, so it cannot pass by accident.
@Suite("Semantic diagnostics (golden)")
struct SemanticGoldenTests {
    static var caseNames: [String] {
        guard let folder = GoldenFiles.fixtureDirectory("semantic") else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Checks a case folder as the `check` command would, with paths relative to `Fixtures/`.
    static func render(_ name: String) throws -> (text: String, ids: Set<String>) {
        let folderURL = try #require(GoldenFiles.fixtureDirectory("semantic")).appendingPathComponent(name)
        var folder = try PackFolder.load(path: folderURL.path)
        folder.path = "semantic/" + name
        let overrides = folder.file(at: "overrides.txt").map {
            String(decoding: $0.bytes, as: UTF8.self).split(separator: "\n").compactMap { ParameterOverride(argument: String($0)) }
        } ?? []
        let result = PackChecker.check(folder: folder, overrides: overrides)
        let text = DiagnosticRenderer(format: .annotated, colored: false).render(result.diagnostics, files: result.sources)
        return (text, Set(result.diagnostics.map(\.id.description)))
    }

    @Test("at least 40 diagnostic kinds, the warnings among them")
    func coverage() {
        let ids = Set(Self.caseNames.map { String($0.split(separator: "-")[0]) })
        #expect(ids.count >= 40)
        for warning in ["unusedDefine", "unusedValueSet", "unusedParameter", "shadowing", "neverMissing"] {
            #expect(ids.contains(warning))
        }
    }

    @Test("every message of the checker's catalogue has a golden case")
    func everyMessageCovered() throws {
        let catalogue = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/RxLanguage/Check/CheckMessages.swift")
        let text = try String(contentsOf: catalogue, encoding: .utf8)
        var names = Set<String>()
        for marker in ["error(\"", "warning(\""] {
            for piece in text.components(separatedBy: marker).dropFirst() {
                if let name = piece.split(separator: "\"").first { names.insert(String(name)) }
            }
        }
        let cases = Set(Self.caseNames.map { String($0.split(separator: "-")[0]) })
        #expect(names.count >= 60)
        #expect(names.subtracting(cases).sorted() == [])
    }

    @Test("rendered diagnostics match the expected file", arguments: caseNames)
    func golden(name: String) throws {
        let (text, ids) = try Self.render(name)
        let id = "check." + name.split(separator: "-")[0]
        #expect(ids.contains(id), "case \(name) must report \(id); got \(ids.sorted())")
        if GoldenFiles.isRecording {
            let target = GoldenFiles.sourceDirectory("semantic-expected").appendingPathComponent(name + ".expected")
            try Data(text.utf8).write(to: target)
            Issue.record("recorded \(name).expected; run again without RECORD_GOLDEN")
            return
        }
        let url = try #require(GoldenFiles.fixtureDirectory("semantic-expected")).appendingPathComponent(name + ".expected")
        let expected = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        #expect(text == expected)
    }
}
