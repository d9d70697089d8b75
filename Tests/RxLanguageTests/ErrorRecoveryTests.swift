import RxLanguage
import Testing

@Suite("Error recovery")
struct ErrorRecoveryTests {
    @Test("independent errors in declarations each give one diagnostic on their own line")
    func declarations() {
        let text = """
            define a = 1 +
            define b = (2
            define c = 3
            defne d = 4
            parameter e Int = 5
            define f = [1, 2
            """
        #expect(Syntax.errorLines(text) == [1, 2, 4, 5, 6])
    }

    @Test("independent errors in clauses of one block are all reported")
    func clauses() {
        let text = """
            measure m "M"
              include count(fills) >= 2
              exclude "x" when
              value = 3
              value ok = 1
              valeu pdc = 2
            contract c
              window = a ..
              gate g = x == y
              payout when a = 
            """
        let (file, result) = Syntax.parse(text)
        let lines = result.diagnostics.map { file.location(of: $0.range.start).line }
        #expect(lines == [2, 3, 4, 6, 8, 9, 10])
        #expect(result.diagnostics.map(\.id.name) == [
            "expectedKeyword", "expectedExpression", "expectedName", "unknownClause", "expectedExpression",
            "doubleEquals", "expectedExpression",
        ])
        // The valid clause in the middle survives intact.
        guard case .measure(let measure) = result.syntax.declarations[0].kind else { return }
        #expect(measure.clauses.count == 4)
    }

    @Test("a broken test body does not hide errors after it")
    func testBodies() {
        let text = """
            test "a" {
              fill ndc 1
              expect x 3
            }
            define ok = 1
            define bad = * 2
            """
        #expect(Syntax.errorLines(text) == [2, 3, 6])
    }

    @Test("the tree marks missing pieces instead of dropping the declaration")
    func missingNodes() {
        let (_, result) = Syntax.parse("define a =\ndefine b = 2\n")
        #expect(result.syntax.structure == "(define a - (missing))\n(define b - (int 2 2))\n")
    }

    @Test("one error per line: a cascade on the same line is not reported twice")
    func noCascade() {
        let (_, result) = Syntax.parse("define a = (1 + + ) ] 3\n")
        #expect(result.diagnostics.count == 1)
    }
}
