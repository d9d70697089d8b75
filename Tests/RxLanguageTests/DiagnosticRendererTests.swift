import RxLanguage
import Testing

@Suite("Diagnostic rendering")
struct DiagnosticRendererTests {
    private let file = SourceFile(
        id: SourceFileID(3), path: "rules/pack.rules",
        text: "define a = 1\n\tdefine  b = c == d\ndefine é = \"x\"\n")

    private var diagnostic: Diagnostic {
        // `==` on line 2 (after a tab), with a note on line 1 and a fix-it.
        let start = 13 + 14
        return Diagnostic(
            DiagnosticMessage(id: DiagnosticID(domain: "parse", name: "doubleEquals"), severity: .error,
                              text: "'==' is not an operator; equality is written '='"),
            at: SourceRange(file: file.id, start: start, end: start + 2),
            notes: [DiagnosticNote("'a' defined here", at: SourceRange(file: file.id, start: 7, end: 8))],
            hint: "compare with '='",
            fixIt: FixIt("replace '==' with '='", range: SourceRange(file: file.id, start: start, end: start + 2), replacement: "="))
    }

    @Test("annotated: location, source line, caret under the exact range (tabs kept), notes, hint, fix-it")
    func annotated() {
        let expected = """
            rules/pack.rules:2:15: error: '==' is not an operator; equality is written '='
             2 | \tdefine  b = c == d
               | \t             ^~
            rules/pack.rules:1:8: note: 'a' defined here
             1 | define a = 1
               |        ^
              = hint: compare with '='
              = fix-it: replace '==' with '='

            """
        #expect(DiagnosticRenderer().render([diagnostic], in: file) == expected)
    }

    @Test("compact: one line per diagnostic and note")
    func compact() {
        let expected = """
            rules/pack.rules:2:15: error: '==' is not an operator; equality is written '='
            rules/pack.rules:1:8: note: 'a' defined here
            hint: compare with '='
            fix-it: replace '==' with '='

            """
        #expect(DiagnosticRenderer(format: .compact).render([diagnostic], in: file) == expected)
    }

    @Test("JSON carries file, start and end positions, severity, ID, message, notes, hint and fix-it")
    func json() {
        let expected = """
            [
              {"file": "rules/pack.rules", "line": 2, "column": 15, "endLine": 2, "endColumn": 17, "severity": "error", "id": "parse.doubleEquals", "message": "'==' is not an operator; equality is written '='", "notes": [{"file": "rules/pack.rules", "line": 1, "column": 8, "endLine": 1, "endColumn": 9, "message": "'a' defined here"}], "hint": "compare with '='", "fixIt": {"file": "rules/pack.rules", "line": 2, "column": 15, "endLine": 2, "endColumn": 17, "message": "replace '==' with '='", "replacement": "="}}
            ]

            """
        #expect(DiagnosticRenderer(format: .json).render([diagnostic], in: file) == expected)
        #expect(DiagnosticRenderer(format: .json).render([], in: file) == "[]\n")
    }

    @Test("colour only when asked")
    func colour() {
        let plain = DiagnosticRenderer().render([diagnostic], in: file)
        let coloured = DiagnosticRenderer(colored: true).render([diagnostic], in: file)
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[1;31merror:\u{1B}[0m"))
    }

    @Test("columns count UTF-8 bytes; carets line up under multi-byte characters")
    func multiByte() {
        // `"x"` on line 3 comes after `é`, which is two bytes.
        let start = file.lineStarts[2] + 11
        let location = file.location(of: start)
        #expect(location == SourcePosition(line: 3, column: 12))
        let message = DiagnosticMessage(id: DiagnosticID(domain: "test", name: "x"), severity: .warning, text: "here")
        let rendered = DiagnosticRenderer().render([Diagnostic(message, at: SourceRange(file: file.id, start: start, end: start + 3))], in: file)
        #expect(rendered == """
            rules/pack.rules:3:12: warning: here
             3 | define é = "x"
               |           ^~~

            """)
    }

    @Test("a range spanning lines is underlined to the end of its first line; an empty range gets one caret")
    func spans() {
        let message = DiagnosticMessage(id: DiagnosticID(domain: "test", name: "x"), severity: .error, text: "span")
        let multi = Diagnostic(message, at: SourceRange(file: file.id, start: 7, end: 20))
        #expect(DiagnosticRenderer().render([multi], in: file).contains("  |        ^~~~~\n"))
        let empty = Diagnostic(message, at: SourceRange(file: file.id, start: 12, end: 12))
        #expect(DiagnosticRenderer().render([empty], in: file).contains("  |             ^\n"))
    }
}

@Suite("Source files")
struct SourceFileTests {
    @Test("offsets map to 1-based lines and byte columns")
    func locations() {
        let file = SourceFile(path: "a.rules", text: "ab\r\ncd\n\nxyz")
        #expect(file.lineCount == 4)
        #expect(file.location(of: 0) == SourcePosition(line: 1, column: 1))
        #expect(file.location(of: 2) == SourcePosition(line: 1, column: 3))
        #expect(file.location(of: 4) == SourcePosition(line: 2, column: 1))
        #expect(file.location(of: 8) == SourcePosition(line: 4, column: 1))
        #expect(file.location(of: 11) == SourcePosition(line: 4, column: 4))
        #expect(file.location(of: 99) == SourcePosition(line: 4, column: 4))
        #expect(file.lineRange(1) == 0..<2)  // without "\r\n"
        #expect(file.text(file.lineRange(4)) == "xyz")
        #expect(SourceFile(path: "e", text: "").location(of: 0) == SourcePosition(line: 1, column: 1))
    }
}
