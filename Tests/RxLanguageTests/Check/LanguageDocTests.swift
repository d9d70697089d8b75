import Foundation
import Testing

@testable import RxLanguage

/// Keeps docs/language.md honest: every `rules` example checks, and the function table is the catalogue's.
@Suite("Language reference")
struct LanguageDocTests {
    static let documentURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/language.md")

    static func document() throws -> String {
        try String(contentsOf: documentURL, encoding: .utf8)
    }

    /// The fenced `rules` blocks with the line each starts on.
    static func examples() throws -> [(line: Int, text: String)] {
        var examples: [(Int, String)] = []
        var current: [String]?
        var start = 0
        for (index, line) in try document().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if current == nil, line == "```rules" {
                current = []
                start = index + 1
            } else if current != nil, line == "```" {
                examples.append((start, (current ?? []).joined(separator: "\n") + "\n"))
                current = nil
            } else if current != nil {
                current?.append(String(line))
            }
        }
        return examples
    }

    @Test("the reference has an example for every construct")
    func enoughExamples() throws {
        let all = try Self.examples().map(\.text).joined()
        #expect(try Self.examples().count >= 15)
        for construct in ["pack ", "parameter ", "valueset ", "define ", "measure ", "contract ", "claim rule ",
                          "test ", "where ", "supply(", "??", "exists"] {
            #expect(all.contains(construct), "no example uses \(construct)")
        }
    }

    @Test("every rules example passes check (fragments inside a minimal pack header)")
    func examplesCheck() throws {
        for (line, text) in try Self.examples() {
            let hasHeader = text.split(separator: "\n").contains { $0.hasPrefix("pack ") }
            let source = hasHeader ? text : "pack \"doc-example\" version \"1.0.0\"\n  currency USD\n\n" + text
            let result = PackChecker.check(sources: [SourceFile(id: SourceFileID(0), path: "language.md:\(line)", text: source)])
            let errors = result.diagnostics.filter { $0.severity == .error }
            #expect(errors.isEmpty, "example at line \(line):\n\(DiagnosticRenderer().render(errors, files: result.sources))")
        }
    }

    @Test("the function table is derived from the catalogue (RECORD_GOLDEN=1 rewrites it)")
    func functionTable() throws {
        let document = try Self.document()
        let startMarker = "<!-- builtin-table:start -->\n", endMarker = "<!-- builtin-table:end -->"
        let start = try #require(document.range(of: startMarker))
        let end = try #require(document.range(of: endMarker))
        let current = String(document[start.upperBound..<end.lowerBound])
        let wanted = BuiltinCatalogue.referenceTable() + "\n"
        if GoldenFiles.isRecording, current != wanted {
            let updated = String(document[..<start.upperBound]) + wanted + String(document[end.lowerBound...])
            try Data(updated.utf8).write(to: Self.documentURL)
            Issue.record("rewrote the function table of docs/language.md; run again without RECORD_GOLDEN")
            return
        }
        #expect(current == wanted)
    }
}
