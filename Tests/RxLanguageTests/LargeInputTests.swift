import RxLanguage
import Testing

/// Large inputs parse completely. Timing lives in bench/ (BENCHMARKS.md), never in unit tests.
@Suite("Large inputs")
struct LargeInputTests {
    /// A generated pack of at least `lines` lines.
    static func generatedPack(lines: Int) -> String {
        var generator = ProgramGenerator(seed: 10_000)
        var text = ""
        var lineCount = 0
        while lineCount < lines {
            let chunk = generator.program(declarations: 50)
            lineCount += chunk.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            text += chunk
        }
        return text
    }

    @Test("a 10,000-line generated pack parses without errors, twice over")
    func tenThousandLines() {
        let text = Self.generatedPack(lines: 10_000)
        let file = SourceFile(path: "big.rules", text: text)
        #expect(file.lineCount > 10_000)
        let result = RulesParser.parse(file)
        #expect(result.diagnostics.isEmpty)
        let doubled = RulesParser.parse(SourceFile(path: "big2.rules", text: text + text))
        #expect(doubled.diagnostics.isEmpty)
        #expect(doubled.syntax.declarations.count == 2 * result.syntax.declarations.count)
    }

    @Test("a 10,000-line pack made of the hand-written fixtures parses without errors")
    func fixturePack() throws {
        let fixtures = try Syntax.validFixtures().map { String(decoding: $0.bytes, as: UTF8.self) }
        var text = ""
        while text.utf8.reduce(0, { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }) < 10_000 {
            text += fixtures.joined(separator: "\n")
        }
        let file = SourceFile(path: "fixtures.rules", text: text)
        let result = RulesParser.parse(file)
        #expect(result.diagnostics.isEmpty)
        #expect(result.syntax.declarations.count > 500)
    }
}
