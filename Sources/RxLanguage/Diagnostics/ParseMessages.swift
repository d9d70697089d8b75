// The catalogue of lexer and parser messages (domain `parse`), alphabetical.

extension DiagnosticMessage {
    private static func parse(_ name: String, _ text: String, _ severity: DiagnosticSeverity = .error) -> Self {
        DiagnosticMessage(id: DiagnosticID(domain: "parse", name: name), severity: severity, text: text)
    }

    static func chainedComparison(_ op: String) -> Self {
        parse("chainedComparison", "comparisons cannot be chained; combine them with 'and' before '\(op)'")
    }
    static func chainedRange() -> Self {
        parse("chainedRange", "a period has exactly two ends; '..' cannot be chained")
    }
    static func clauseNotIndented(_ keyword: String) -> Self {
        parse("clauseNotIndented", "clause '\(keyword)' must be indented under its declaration")
    }
    static func decimalTooPrecise(_ text: String) -> Self {
        parse("decimalOutOfRange", "decimal literal '\(text)' has too many digits")
    }
    static func declarationNotAtColumnOne(_ keyword: String) -> Self {
        parse("declarationNotAtColumnOne", "declaration '\(keyword)' must start at column 1")
    }
    static func doubleEquals() -> Self {
        parse("doubleEquals", "'==' is not an operator; equality is written '='")
    }
    static func expectedClosing(_ delimiter: String, found: String) -> Self {
        parse("expectedClosingDelimiter", "expected '\(delimiter)', found \(found)")
    }
    static func expectedCodeString(found: String) -> Self {
        parse("expectedCodeString", "expected a code in quotes like \"N18.6\", found \(found)")
    }
    static func expectedDeclaration(found: String) -> Self {
        parse("expectedDeclaration", "expected a declaration, found \(found)")
    }
    static func expectedExpectation(found: String) -> Self {
        parse("expectedExpectation", "expected '=', 'excluded' or 'included' in 'expect', found \(found)")
    }
    static func expectedExpression(found: String) -> Self {
        parse("expectedExpression", "expected an expression, found \(found)")
    }
    static func expectedKeyword(_ keyword: String, after: String, found: String) -> Self {
        parse("expectedKeyword", "expected '\(keyword)' after '\(after)', found \(found)")
    }
    static func expectedName(after: String, found: String) -> Self {
        parse("expectedName", "expected a name after '\(after)', found \(found)")
    }
    static func expectedOpeningBrace(found: String) -> Self {
        parse("expectedOpeningBrace", "expected '{' to open the test body, found \(found)")
    }
    static func expectedRejectCode(found: String) -> Self {
        parse("expectedRejectCode", "expected a reject code after 'reject', found \(found)")
    }
    static func expectedString(_ what: String, found: String) -> Self {
        parse("expectedString", "expected \(what) in quotes, found \(found)")
    }
    static func expectedSymbol(_ symbol: String, after: String, found: String) -> Self {
        parse("expectedSymbol", "expected '\(symbol)' after \(after), found \(found)")
    }
    static func expectedTestValue(_ what: String, after: String, found: String) -> Self {
        parse("expectedTestValue", "expected \(what) after '\(after)', found \(found)")
    }
    static func expectedType(found: String) -> Self {
        parse("expectedType", "expected a type such as 'Int' or 'List<Date>', found \(found)")
    }
    static func expectedValueSetSource(found: String) -> Self {
        parse("expectedValueSetSource", "expected 'file \"path\"' or a code system and a code list, found \(found)")
    }
    static func extraneousInput(found: String) -> Self {
        parse("extraneousInput", "unexpected \(found) after the end of the clause")
    }
    static func integerTooLarge(_ text: String) -> Self {
        parse("integerOutOfRange", "integer literal '\(text)' is too large")
    }
    static func invalidCurrencyCode(_ text: String) -> Self {
        parse("invalidCurrencyCode", "currency code '\(text)' must be three upper-case letters")
    }
    static func invalidDate(_ text: String) -> Self {
        parse("invalidDate", "'\(text)' is not a valid date")
    }
    static func invalidEscape(_ text: String) -> Self {
        parse("invalidEscape", "invalid escape '\(text)' in string; only '\\\"' and '\\\\' are allowed")
    }
    static func invalidUTF8(byte: UInt8) -> Self {
        let hex = String(byte, radix: 16, uppercase: true)
        return parse("invalidUTF8", "invalid UTF-8 byte 0x\(hex.count < 2 ? "0" + hex : hex)")
    }
    static func misplacedWildcard(_ code: String) -> Self {
        parse("misplacedWildcard", "'*' may only end a code, as in \"I21*\"; found \"\(code)\"")
    }
    static func positionalAfterNamed() -> Self {
        parse("positionalAfterNamed", "positional arguments must come before named arguments")
    }
    static func reservedWordAsName(_ word: String) -> Self {
        parse("reservedWordAsName", "'\(word)' is a reserved word and cannot be used as a name")
    }
    static func tooDeeplyNested(limit: Int) -> Self {
        parse("tooDeeplyNested", "expression is nested more than \(limit) levels deep")
    }
    static func tooManyErrors(limit: Int) -> Self {
        parse("tooManyErrors", "too many syntax errors; stopped reporting after \(limit)")
    }
    static func unclosedTestBody() -> Self {
        parse("unclosedTestBody", "test body is missing its closing '}'")
    }
    static func unexpectedCharacter(_ description: String) -> Self {
        parse("unexpectedCharacter", "unexpected character '\(description)'")
    }
    static func unknownClause(_ word: String, in block: String) -> Self {
        parse("unknownClause", "'\(word)' does not start a clause of \(block)")
    }
    static func unterminatedString() -> Self {
        parse("unterminatedString", "unterminated string; a string must end with '\"' on the same line")
    }
}
