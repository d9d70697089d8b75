import Foundation
import RxLanguage
import Testing

/// Golden-file harness shared by the syntax and checker tests.
///
/// A fixture directory under `Fixtures/` holds `name.rules` inputs, each with `name.expected` beside
/// it: the exact annotated rendering of the diagnostics the closure returns. Run with
/// `RECORD_GOLDEN=1` to rewrite the expected files in the source tree; a recording run fails on
/// purpose so it can never pass unnoticed in CI.
enum GoldenFiles {
    /// True when this run re-records expected files.
    static var isRecording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" }

    /// The copied resource folder `Fixtures/<name>` inside the test bundle.
    static func fixtureDirectory(_ name: String) -> URL? {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent(name)
    }

    /// The same folder in the source tree, where recording writes.
    static func sourceDirectory(_ name: String, filePath: String = #filePath) -> URL {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
    }

    /// Loads every `.rules` file of a fixture directory, sorted by name, as source files whose path is
    /// `<directory>/<file>` (stable across machines).
    static func sources(in directory: String) throws -> [SourceFile] {
        guard let url = fixtureDirectory(directory) else {
            Issue.record("fixture directory \(directory) is missing from the test bundle")
            return []
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { $0.hasSuffix(".rules") }.sorted()
        return try names.enumerated().map { index, name in
            let data = try Data(contentsOf: url.appendingPathComponent(name))
            return SourceFile(id: SourceFileID(Int32(index)), path: directory + "/" + name, bytes: Array(data))
        }
    }

    /// Compares (or records) the rendered diagnostics of every `.rules` file in `directory`.
    /// Returns the files with their diagnostics so callers can assert more.
    @discardableResult
    static func check(
        directory: String, renderer: DiagnosticRenderer = DiagnosticRenderer(),
        diagnose: (SourceFile) -> [Diagnostic], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> [(SourceFile, [Diagnostic])] {
        var results: [(SourceFile, [Diagnostic])] = []
        try checkText(directory: directory, expectedExtension: "expected", sourceLocation: sourceLocation) { file in
            let diagnostics = diagnose(file)
            results.append((file, diagnostics))
            return renderer.render(diagnostics, in: file)
        }
        return results
    }

    /// Compares (or records) any text produced from each `.rules` file in `directory` with the file
    /// `<name>.<expectedExtension>` beside it.
    static func checkText(
        directory: String, expectedExtension: String, sourceLocation: SourceLocation = #_sourceLocation,
        produce: (SourceFile) -> String
    ) throws {
        let files = try sources(in: directory)
        #expect(!files.isEmpty, "no fixtures in \(directory)", sourceLocation: sourceLocation)
        var recorded = 0
        for file in files {
            let produced = produce(file)
            let expectedName = (file.path.split(separator: "/").last.map(String.init) ?? "").replacingOccurrences(
                of: ".rules", with: "." + expectedExtension)
            if isRecording {
                let target = sourceDirectory(directory).appendingPathComponent(expectedName)
                try Data(produced.utf8).write(to: target)
                recorded += 1
                continue
            }
            guard let url = fixtureDirectory(directory)?.appendingPathComponent(expectedName),
                let data = FileManager.default.contents(atPath: url.path)
            else {
                Issue.record("\(file.path): no \(expectedName); run with RECORD_GOLDEN=1", sourceLocation: sourceLocation)
                continue
            }
            let expected = String(decoding: data, as: UTF8.self)
            #expect(produced == expected, "\(file.path) differs from \(expectedName)", sourceLocation: sourceLocation)
        }
        if isRecording {
            Issue.record(
                "recorded \(recorded) golden files in \(directory); run again without RECORD_GOLDEN",
                sourceLocation: sourceLocation)
        }
    }
}
