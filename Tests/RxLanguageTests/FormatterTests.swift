import RxLanguage
import Testing

@Suite("Formatter")
struct FormatterTests {
    private func formatted(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let (file, result) = Syntax.parse(text)
        if !result.diagnostics.isEmpty {
            let rendered = DiagnosticRenderer().render(result.diagnostics, in: file)
            Issue.record("unexpected diagnostics:\n\(rendered)", sourceLocation: sourceLocation)
        }
        return RulesFormatter().format(result.syntax)
    }

    /// parse → format → parse gives the same tree, and formatting the output again changes nothing.
    private func checkRoundTrip(_ file: SourceFile, sourceLocation: SourceLocation = #_sourceLocation) {
        let first = RulesParser.parse(file)
        let text = RulesFormatter().format(first.syntax)
        let second = RulesParser.parse(SourceFile(path: file.path, text: text))
        #expect(second.diagnostics.isEmpty, "\(file.path): formatted output has errors:\n\(text)", sourceLocation: sourceLocation)
        #expect(first.syntax.structurallyEquals(second.syntax), "\(file.path): tree changed:\n\(text)", sourceLocation: sourceLocation)
        let again = RulesFormatter().format(second.syntax)
        #expect(again == text, "\(file.path): formatting is not idempotent", sourceLocation: sourceLocation)
        let originalComments = file.bytes.filter { $0 == UInt8(ascii: "#") }.count
        let formattedComments = text.utf8.filter { $0 == UInt8(ascii: "#") }.count
        #expect(originalComments == formattedComments, "\(file.path): comments lost", sourceLocation: sourceLocation)
    }

    @Test("canonical layout: spacing, indentation, blank lines, comments")
    func canonicalLayout() {
        let input = """
            # header comment
            pack   "p"   version "1"
               title  "T"
            parameter  x :Int=1
            parameter y:   List<Date>   = [ 2025-01-01,2025-02-01 ]


            define  z=(x+1)*2   # why
            measure m "M"
            include when  a>=1 and not b
                   # interior
                   or c
              value   v= 1 day+2  months
            test "t" {
               fill 2025-01-01 ndc 00000000101   days 30
              expect m.v=reject 79
            }
            """
        let expected = """
            # header comment
            pack "p" version "1"
              title "T"

            parameter x: Int = 1
            parameter y: List<Date> = [2025-01-01, 2025-02-01]

            define z = (x + 1) * 2  # why

            measure m "M"
              # interior
              include when a >= 1 and not b or c
              value v = 1 day + 2 months

            test "t" {
              fill 2025-01-01 ndc 00000000101 days 30
              expect m.v = reject 79
            }

            """
        let (_, result) = Syntax.parse(input)
        // `include` at column 1 is an error, so format the tree anyway and check only the layout.
        #expect(result.diagnostics.map(\.id.name) == ["clauseNotIndented"])
        #expect(RulesFormatter().format(result.syntax) == expected)
    }

    @Test("long expressions wrap before top-level where/and/or, deterministically")
    func wrapping() {
        let input = "define long_name = fills where ndc in statins and fill_date in measurement_period and days_supply >= 30 and quantity > 0\n"
        let expected = """
            define long_name = fills
                where ndc in statins
                and fill_date in measurement_period
                and days_supply >= 30
                and quantity > 0

            """
        #expect(formatted(input) == expected)
        #expect(formatted(expected) == expected)
    }

    @Test("every valid fixture round-trips and formatting is idempotent")
    func fixturesRoundTrip() throws {
        let files = try Syntax.validFixtures()
        #expect(files.count >= 3)
        for file in files {
            #expect(RulesParser.parse(file).diagnostics.isEmpty, "\(file.path) has diagnostics")
            checkRoundTrip(file)
        }
    }

    @Test("generated programs round-trip", arguments: 0..<40)
    func generatedRoundTrip(seed: Int) {
        var generator = ProgramGenerator(seed: UInt64(seed) &* 7919 &+ 17)
        let text = generator.program(declarations: 12)
        let file = SourceFile(path: "generated-\(seed).rules", text: text)
        let result = RulesParser.parse(file)
        #expect(result.diagnostics.isEmpty, "generated program has errors:\n\(DiagnosticRenderer().render(result.diagnostics, in: file))\n\(text)")
        checkRoundTrip(file)
    }

    @Test("every valid fixture formats to exactly its golden canonical text")
    func formattedGoldens() throws {
        try GoldenFiles.checkText(directory: "valid", expectedExtension: "formatted") { file in
            RulesFormatter().format(file) ?? "<syntax errors>\n"
        }
    }

    @Test("format(SourceFile) refuses files with syntax errors")
    func refusesBrokenFiles() {
        #expect(RulesFormatter().format(SourceFile(path: "x.rules", text: "define = 1\n")) == nil)
        #expect(RulesFormatter().format(SourceFile(path: "x.rules", text: "define a = 1\n")) == "define a = 1\n")
    }
}
