import Foundation
import Testing

@testable import RxLanguage

/// Golden tests of the checker's rendered diagnostics.
///
/// Each folder under `Fixtures/semantic/` is a small pack with one kind of mistake. The folder is
/// named after the diagnostic ID it must produce (`unknownName`, or `malformedCode-csv` for a
/// second case of the same ID); an optional `overrides.txt` holds `--param` lines. The rendered
/// output is compared with `Snapshots/<folder>.txt`. Set `RXRULES_RECORD_SNAPSHOTS=1` to re-record:
/// a recording run writes the files and fails, so it cannot pass by accident.
@Suite("Semantic diagnostics (golden)")
struct SemanticGoldenTests {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let casesFolder = testsFolder.deletingLastPathComponent().appendingPathComponent("Fixtures/semantic")
    static let snapshotsFolder = testsFolder.appendingPathComponent("Snapshots")

    static var caseNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: casesFolder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Checks a case folder as the `check` command would, with paths relative to `Fixtures/`.
    static func render(_ name: String) throws -> (text: String, ids: Set<String>) {
        var folder = try PackFolder.load(path: casesFolder.appendingPathComponent(name).path)
        folder.path = "semantic/" + name
        let overrides = folder.file(at: "overrides.txt").map {
            String(decoding: $0.bytes, as: UTF8.self).split(separator: "\n").compactMap { ParameterOverride(argument: String($0)) }
        } ?? []
        let result = PackChecker.check(folder: folder, overrides: overrides)
        let text = DiagnosticRenderer(format: .annotated, colored: false).render(result.diagnostics, files: result.sources)
        return (text, Set(result.diagnostics.map(\.id.description)))
    }

    @Test("there are at least 20 error kinds and the warning kinds")
    func coverage() {
        let ids = Set(Self.caseNames.map { String($0.split(separator: "-")[0]) })
        #expect(ids.count >= 40)
        for warning in ["unusedDefine", "unusedValueSet", "unusedParameter", "shadowing", "neverMissing"] {
            #expect(ids.contains(warning))
        }
    }

    @Test("rendered diagnostics match the snapshot", arguments: caseNames)
    func golden(name: String) throws {
        let (text, ids) = try Self.render(name)
        let id = "check." + name.split(separator: "-")[0]
        #expect(ids.contains(id), "case \(name) must report \(id); got \(ids.sorted())")
        let snapshot = Self.snapshotsFolder.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["RXRULES_RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: Self.snapshotsFolder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: snapshot)
            Issue.record("recorded \(name).txt; run again without RXRULES_RECORD_SNAPSHOTS")
            return
        }
        let expected = try String(contentsOf: snapshot, encoding: .utf8)
        #expect(text == expected)
    }
}
