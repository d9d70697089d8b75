/// The result of parsing one file: a complete tree (with missing/error nodes where the text is broken)
/// and every syntax diagnostic, sorted by position.
public struct ParseResult: Sendable, Equatable {
    /// The tree; always present, even for garbage input.
    public var syntax: FileSyntax
    /// Lexer and parser diagnostics, sorted by position.
    public var diagnostics: [Diagnostic]

    /// Builds a result.
    public init(syntax: FileSyntax, diagnostics: [Diagnostic]) {
        self.syntax = syntax
        self.diagnostics = diagnostics
    }
}

/// Entry point of the syntax layer: parses a rules file. Never throws, never traps, linear time.
public enum RulesParser {
    /// Deepest expression nesting accepted; deeper input gets `parse.tooDeeplyNested` instead of recursion.
    public static let maximumNestingDepth = 100
    /// Tallest expression tree accepted (a chain `a + b + ...` of more terms is one error): every
    /// later walk over the tree (checker, formatter, equality) recurses on its height.
    public static let maximumExpressionHeight = 250
    /// After this many syntax errors in one file the rest are dropped (with one `parse.tooManyErrors`).
    public static let maximumErrorCount = 100

    /// Parses one file.
    public static func parse(_ file: SourceFile) -> ParseResult {
        var parser = Parser(file: file, lexer: Lexer.lex(file))
        return parser.parseFile()
    }
}
