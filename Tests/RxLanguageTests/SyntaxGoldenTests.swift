import Foundation
import RxLanguage
import Testing

@Suite("Syntax error golden files")
struct SyntaxGoldenTests {
    @Test("every broken input renders exactly its golden diagnostics")
    func goldenDiagnostics() throws {
        let results = try GoldenFiles.check(directory: "syntax-errors") { RulesParser.parse($0).diagnostics }
        #expect(results.count >= 25)
        for (file, diagnostics) in results {
            // Each fixture is named after the diagnostic ID it demonstrates.
            let name = (file.path.split(separator: "/").last.map(String.init) ?? "").replacingOccurrences(of: ".rules", with: "")
            #expect(diagnostics.contains { $0.id.description == "parse." + name }, "\(file.path) lacks parse.\(name)")
            for diagnostic in diagnostics {
                #expect(diagnostic.range.start >= 0 && diagnostic.range.end <= file.bytes.count)
            }
        }
    }

    @Test("golden IDs are all different")
    func oneKindPerFixture() throws {
        let files = try GoldenFiles.sources(in: "syntax-errors")
        let names = Set(files.map(\.path))
        #expect(names.count == files.count)
    }
}
