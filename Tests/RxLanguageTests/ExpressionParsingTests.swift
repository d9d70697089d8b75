import RxLanguage
import Testing

@Suite("Expression grammar")
struct ExpressionParsingTests {
    @Test("precedence follows the contract table", arguments: [
        ("1 + 2 * 3", "(+ (int 1 1) (* (int 2 2) (int 3 3)))"),
        ("1 - 2 - 3", "(- (- (int 1 1) (int 2 2)) (int 3 3))"),
        ("a or b and c", "(or a (and b c))"),
        ("not a = b", "(not (= a b))"),
        ("not a and b", "(and (not a) b)"),
        ("a ?? b ?? c", "(?? a (?? b c))"),
        ("a ?? b = c", "(= (?? a b) c)"),
        ("a .. b + 1", "(.. a (+ b (int 1 1)))"),
        ("a + b ?? c", "(?? (+ a b) c)"),
        ("-a.b", "(- (. a b))"),
        ("-a * b", "(* (- a) b)"),
        ("x in s and y not in t", "(and (in x s) (not in y t))"),
        ("xs where a where b", "(where (where xs a) b)"),
        ("xs where a or b", "(where xs (or a b))"),
        ("if c then a else b + 1", "(if c a (+ b (int 1 1)))"),
        ("if c then xs where d else []", "(if c (where xs d) (list))"),
        ("(a + b) * c", "(* (paren (+ a b)) c)"),
    ])
    func precedence(source: String, expected: String) {
        #expect(Syntax.expression(source) == expected)
    }

    @Test("postfix forms: members, calls, exists, is missing, durations")
    func postfix() {
        #expect(Syntax.expression("first(fills).fill_date") == "(. (call first fills) fill_date)")
        #expect(Syntax.expression("supply(fills, overlap: shift_all, stays: [])")
            == "(call supply fills overlap:shift_all stays:(list))")
        #expect(Syntax.expression("cv exists and x is missing") == "(and (exists cv) (is-missing x))")
        #expect(Syntax.expression("ipsd + 30 days") == "(+ ipsd (days (int 30 30)))")
        #expect(Syntax.expression("ipsd - 1 day + 6 months + 1 year")
            == "(+ (+ (- ipsd (days (int 1 1))) (months (int 6 6))) (years (int 1 1)))")
        #expect(Syntax.expression("ceil(n * 0.8) days") == "(days (call ceil (* n (dec 0.80 0.8))))"
            || Syntax.expression("ceil(n * 0.8) days") == "(days (call ceil (* n (dec 0.8 0.8))))")
    }

    @Test("literals: integers keep their text, exact decimals, money, dates, strings, booleans")
    func literals() {
        #expect(Syntax.expression("00000000101") == "(int 101 00000000101)")
        #expect(Syntax.expression("0.80") == "(dec 0.80 0.80)")
        #expect(Syntax.expression("5000.00 USD") == "(money 5000.00 USD)")
        #expect(Syntax.expression("12 EUR") == "(money 12 EUR)")
        #expect(Syntax.expression("2024-02-29") == "(date 2024-02-29)")
        #expect(Syntax.expression(#""a \"quoted\" \\ text""#) == #""a \"quoted\" \\ text""#)
        #expect(Syntax.expression("[true, false]") == "(list true false)")
        #expect(Syntax.expression("2025-01 - 01") == "(- (- (int 2025 2025) (int 1 01)) (int 1 01))")
    }

    @Test("a call needs its '(' on the same line; a new line starting with '(' is a continuation")
    func callLayout() {
        let (_, result) = Syntax.parse("define x = f\n  (a)\n")
        #expect(!result.diagnostics.isEmpty)  // `f (a)` on two lines is not a call
        #expect(Syntax.expression("f(\n  a,\n  b)") == "(call f a b)")
    }

    @Test("payout separates condition and amount at the top-level '='")
    func payoutEquals() {
        let (_, result) = Syntax.parse(
            "contract c\n  payout when (a = b) and cv exists =\n    min(x, 5000.00 USD)\n  payout = 1\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.syntax.structure
            == "(contract c - (payout (and (paren (= a b)) (exists cv)) (call min x (money 5000.00 USD))) (payout - (int 1 1)))\n")
    }
}
