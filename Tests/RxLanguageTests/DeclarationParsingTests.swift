import RxLanguage
import Testing

@Suite("Declarations and clauses")
struct DeclarationParsingTests {
    @Test("a native function declaration keeps its parameters, result and documentation")
    func nativeDeclaration() throws {
        let file = SourceFile(path: "n.rules", text: """
            native risk_points(age: Int, sex: String) returns Int "points"
            native today() returns Date

            """)
        let result = RulesParser.parse(file)
        #expect(result.diagnostics.isEmpty)
        guard case .native(let native) = result.syntax.declarations.first?.kind else {
            Issue.record("no native declaration")
            return
        }
        #expect(native.name.name == "risk_points")
        #expect(native.parameters.map(\.name.name) == ["age", "sex"])
        #expect(native.parameters.map(\.type.name.name) == ["Int", "String"])
        #expect(native.result.name.name == "Int")
        #expect(native.documentation?.value == "points")
        #expect(RulesFormatter(lineWidth: 100).format(result.syntax) == """
            native risk_points(age: Int, sex: String) returns Int "points"
            native today() returns Date

            """)
        let missing = RulesParser.parse(SourceFile(path: "m.rules", text: "native f(a: Int) Int\n"))
        #expect(missing.diagnostics.map(\.id.description) == ["parse.expectedKeyword"])
    }

    @Test("'for each NAME in LIST' is a measure clause; 'for' elsewhere stays a name; 'row n' follows an expect subject")
    func forEachAndRow() throws {
        let result = RulesParser.parse(SourceFile(path: "r.rules", text: """
            measure m "M"
              include when any(fills)
              for each run in episodes(supply(fills),
                                       max_gap: 30 days)
              value start = run.start
            test "t" {
              member birth_date 1960-01-01 sex F
              expect m.start row 2 = 2025-01-01
            }

            """))
        #expect(result.diagnostics.isEmpty)
        guard case .measure(let measure) = result.syntax.declarations.first?.kind else {
            Issue.record("no measure")
            return
        }
        #expect(measure.clauses.count == 3)
        guard case .forEach(let name, let list) = measure.clauses[1].kind else {
            Issue.record("no for each clause")
            return
        }
        #expect(name.name == "run")
        guard case .call = list.kind else {
            Issue.record("the list is not the call")
            return
        }
        guard case .test(let test) = result.syntax.declarations.last?.kind,
              case .expect(_, let on, let row, .equals) = test.statements.last?.kind
        else {
            Issue.record("no expect")
            return
        }
        #expect(on == nil)
        guard case .integer(2, _)? = row?.kind else {
            Issue.record("row is not 2")
            return
        }
        // Without 'each', a line starting with 'for' continues the expression above it.
        let continued = RulesParser.parse(SourceFile(path: "c.rules", text: "measure m \"M\"\n  value x = count(\n  for)\n"))
        #expect(continued.diagnostics.isEmpty)
        let missingIn = RulesParser.parse(SourceFile(path: "i.rules", text: "measure m \"M\"\n  for each f fills\n"))
        #expect(missingIn.diagnostics.map(\.message) == ["expected 'in' after 'for each f', found 'fills'"])
    }

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
            case .native: "native"
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
