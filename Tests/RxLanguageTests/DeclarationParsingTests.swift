import RxLanguage
import Testing

@Suite("Declarations and clauses")
struct DeclarationParsingTests {
    @Test("the contract example parses without diagnostics into every construct")
    func contractExample() throws {
        let file = try #require(try Syntax.validFixtures().first { $0.path.hasSuffix("contract-example.rules") })
        let result = RulesParser.parse(file)
        #expect(result.diagnostics.isEmpty)
        let kinds = result.syntax.declarations.map { declaration -> String in
            switch declaration.kind {
            case .pack: "pack"
            case .parameter: "parameter"
            case .valueSet: "valueset"
            case .define: "define"
            case .measure: "measure"
            case .contract: "contract"
            case .claimRule: "claim rule"
            case .test: "test"
            case .unexpected: "unexpected"
            }
        }
        #expect(kinds == [
            "pack", "parameter", "parameter", "parameter", "valueset", "valueset", "valueset", "valueset",
            "define", "define", "measure", "contract", "claim rule", "test",
        ])
        guard case .test(let test) = result.syntax.declarations[13].kind else {
            Issue.record("no test block")
            return
        }
        #expect(test.statements.count == 10)
        guard case .claimRule(let rule) = result.syntax.declarations[12].kind else { return }
        #expect(rule.clauses.count == 6)
        guard case .reject(let code, let message, _) = rule.clauses[4].kind else {
            Issue.record("no reject clause")
            return
        }
        #expect(code.text == "79")
        #expect(message?.value == "Refill too soon")
    }

    @Test("ranges are exact byte offsets of the source")
    func ranges() {
        let text = "define ipsd = first(statin_fills).fill_date  # Date?\n"
        let (file, result) = Syntax.parse(text)
        let declaration = result.syntax.declarations[0]
        #expect(file.text(declaration.keywordRange) == "define")
        #expect(file.text(declaration.range) == "define ipsd = first(statin_fills).fill_date")
        #expect(declaration.trivia.trailing?.text == "# Date?")
        guard case .define(let define) = declaration.kind else { return }
        #expect(file.text(define.name.range) == "ipsd")
        #expect(file.text(define.value.range) == "first(statin_fills).fill_date")
        guard case .member(let base, let field) = define.value.kind else { return }
        #expect(file.text(base.range) == "first(statin_fills)")
        #expect(file.text(field.range) == "fill_date")
    }

    @Test("comments attach: leading to the next node, trailing to the line's node, interior to the clause")
    func comments() {
        let text = """
            # about the measure
            measure m "M"  # header
              # before include
              include when a and # inside
                b  # after b
            # at the end

            """
        let (_, result) = Syntax.parse(text)
        #expect(result.diagnostics.isEmpty)
        let declaration = result.syntax.declarations[0]
        #expect(declaration.trivia.leading.map(\.text) == ["# about the measure"])
        #expect(declaration.trivia.trailing?.text == "# header")
        guard case .measure(let measure) = declaration.kind else { return }
        let clause = measure.clauses[0]
        #expect(clause.trivia.leading.map(\.text) == ["# before include"])
        #expect(clause.trivia.interior.map(\.text) == ["# inside"])
        #expect(clause.trivia.trailing?.text == "# after b")
        #expect(result.syntax.endComments.map(\.text) == ["# at the end"])
    }

    @Test("clause keywords are ordinary names inside expressions")
    func contextualKeywords() {
        #expect(Syntax.expression("member.birth_date + value") == "(+ (. member birth_date) value)")
        let (_, result) = Syntax.parse("contract c\n  event cv = first(medical where from_date in window)\n")
        #expect(result.diagnostics.isEmpty)
    }

    @Test("value set sources, wildcards and versions")
    func valueSets() {
        let (_, result) = Syntax.parse(
            "valueset a = file \"a.csv\" columns (code, ingredient) version \"D.0\"\nvalueset b = icd10 [\"I21*\"]\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.syntax.structure
            == "(valueset a (file \"a.csv\" (code ingredient)) (version \"D.0\"))\n(valueset b (icd10 \"I21*\"))\n")
    }
}

@Suite("Line endings and layout")
struct LayoutTests {
    @Test("CRLF files parse like LF files and format to LF")
    func crlf() throws {
        for file in try Syntax.validFixtures() {
            let text = String(decoding: file.bytes, as: UTF8.self)
            let crlf = SourceFile(path: file.path, text: text.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n"))
            let result = RulesParser.parse(crlf)
            #expect(result.diagnostics.isEmpty, "\(file.path) with CRLF")
            #expect(result.syntax.structurallyEquals(RulesParser.parse(file).syntax))
            #expect(!RulesFormatter().format(result.syntax).contains("\r"))
        }
    }

    @Test("a declaration keyword at a line start always ends the previous declaration")
    func declarationsResync() {
        let (_, result) = Syntax.parse("define a = (1 +\n  2\ndefine b = 3\n")
        #expect(result.syntax.declarations.map(\.name) == ["a", "b"])
        #expect(result.diagnostics.map(\.id.name) == ["expectedClosingDelimiter"])
    }
}
