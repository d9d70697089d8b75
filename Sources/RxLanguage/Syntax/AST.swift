import RxValues

// The syntax tree of one rules file. Every node keeps its exact byte range and, where a node can
// carry them, its comments (trivia). Structural equality that ignores ranges and trivia is
// `structurallyEquals` (see ASTDump.swift); the synthesized `==` compares everything.

/// A `# ...` comment, kept so the formatter can print it back.
public struct SourceComment: Hashable, Sendable {
    /// The text including the leading `#`, without the line ending and trailing spaces.
    public var text: String
    /// The comment's bytes.
    public var range: SourceRange

    /// Builds a comment.
    public init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }
}

/// Comments and blank lines around a declaration or clause.
public struct Trivia: Hashable, Sendable {
    /// Whole-line comments above the node but separated from it by a blank line (a file header, a section note).
    public var detached: [SourceComment]
    /// Whole-line comments just above the node.
    public var leading: [SourceComment]
    /// Comments between the node's first and last token (printed above the node by the formatter).
    public var interior: [SourceComment]
    /// A comment after the node's last token on the same line.
    public var trailing: SourceComment?
    /// Whether a blank line separated this node from what came before (the formatter keeps at most one).
    public var blankLineBefore: Bool

    /// Builds trivia.
    public init(
        detached: [SourceComment] = [], leading: [SourceComment] = [], interior: [SourceComment] = [],
        trailing: SourceComment? = nil, blankLineBefore: Bool = false
    ) {
        self.detached = detached
        self.leading = leading
        self.interior = interior
        self.trailing = trailing
        self.blankLineBefore = blankLineBefore
    }

    /// No comments and no blank line.
    public static let none = Trivia()
}

/// A name as written: a pack-level name, a field, a parameter, a named-argument label.
public struct Identifier: Hashable, Sendable {
    /// The name (empty for a missing name after a syntax error).
    public var name: String
    /// Its bytes (empty range at the expected position when missing).
    public var range: SourceRange

    /// Builds an identifier.
    public init(_ name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }

    /// True for a placeholder the parser inserted after an error.
    public var isMissing: Bool { name.isEmpty }
}

/// A string literal with its escapes resolved.
public struct StringLiteral: Hashable, Sendable {
    /// The value, escapes resolved.
    public var value: String
    /// The bytes including the quotes.
    public var range: SourceRange

    /// Builds a string literal.
    public init(_ value: String, range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// Source text the parser could not make sense of; kept so nothing is lost and the formatter can echo it.
public struct UnexpectedText: Hashable, Sendable {
    /// The skipped text (display form: invalid UTF-8 replaced).
    public var text: String
    /// The skipped bytes.
    public var range: SourceRange

    /// Builds an unexpected-text node.
    public init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }
}

// MARK: - Types

/// A type as written in a `parameter` or `define`: `Period`, `List<Date>`, `Date?`.
public struct TypeSyntax: Hashable, Sendable {
    /// The type's name (`List`, `Date`, ...); missing after an error.
    public var name: Identifier
    /// Generic arguments in angle brackets.
    public var arguments: [TypeSyntax]
    /// Whether `?` follows.
    public var isOptional: Bool
    /// The whole type.
    public var range: SourceRange

    /// Builds a type.
    public init(name: Identifier, arguments: [TypeSyntax] = [], isOptional: Bool = false, range: SourceRange) {
        self.name = name
        self.arguments = arguments
        self.isOptional = isOptional
        self.range = range
    }
}

// MARK: - Expressions

/// Unary operators.
public enum UnaryOperator: String, Hashable, Sendable, CaseIterable {
    /// `-a`
    case negate = "-"
    /// `not a`
    case not = "not"
}

/// Binary operators, loosest first in the order of the precedence table of the syntax contract.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    case or = "or"
    case and = "and"
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case `in` = "in"
    case notIn = "not in"
    /// `a ?? b`, right-associative.
    case defaulting = "??"
    /// `a .. b`, a closed period.
    case range = ".."
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"

    /// Binding strength: higher binds tighter.
    public var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in, .notIn: 4
        case .defaulting: 5
        case .range: 6
        case .add, .subtract: 7
        case .multiply, .divide: 8
        }
    }

    /// True for the comparison level (which does not chain: `a < b < c` is an error).
    public var isComparison: Bool { precedence == 4 }
}

/// Calendar units of a duration literal like `30 days` or `6 months`.
public enum DurationUnit: String, Hashable, Sendable, CaseIterable {
    case days, months, years

    /// The unit for a spelling (`day`, `days`, `month`, ...), or nil.
    public init?(spelling: String) {
        switch spelling {
        case "day", "days": self = .days
        case "month", "months": self = .months
        case "year", "years": self = .years
        default: return nil
        }
    }
}

/// One argument of a call: positional (`fills`) or named (`within: treatment`).
public struct Argument: Hashable, Sendable {
    /// The label of a named argument.
    public var label: Identifier?
    /// The value.
    public var value: Expr
    /// Label (if any) through value.
    public var range: SourceRange

    /// Builds an argument.
    public init(label: Identifier?, value: Expr, range: SourceRange) {
        self.label = label
        self.value = value
        self.range = range
    }
}

/// An expression node: a kind plus its exact range.
public struct Expr: Hashable, Sendable {
    /// What the expression is.
    public var kind: ExprKind
    /// All bytes of the expression (parentheses included for `.parenthesized`).
    public var range: SourceRange

    /// Builds an expression.
    public init(_ kind: ExprKind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    /// True when the parser inserted this node because an expression was missing or broken.
    public var isErroneous: Bool {
        switch kind {
        case .missing, .error: true
        default: false
        }
    }
}

/// The forms of expressions (see the precedence table in the syntax contract).
public indirect enum ExprKind: Hashable, Sendable {
    /// A bare name: a definition, parameter, field in a `where`, enum member, `this`, `it`, ...
    case name(String)
    /// `30` (text kept: `00000000101` keeps its leading zeros).
    case integer(Int64, text: String)
    /// `0.80`, exact.
    case decimal(ExactDecimal, text: String)
    /// `5000.00 USD`.
    case money(ExactDecimal, currency: String, text: String)
    /// `2025-01-01`.
    case date(Day)
    /// `"text"`.
    case string(String)
    /// `true` / `false`.
    case boolean(Bool)
    /// `[a, b, c]`.
    case list([Expr])
    /// `(e)`, kept so the formatter prints the author's parentheses.
    case parenthesized(Expr)
    /// `-a`, `not a`; `operatorRange` is the operator token.
    case unary(UnaryOperator, Expr, operatorRange: SourceRange)
    /// `a op b`; `operatorRange` covers the operator token(s) (`not in` is two).
    case binary(BinaryOperator, Expr, Expr, operatorRange: SourceRange)
    /// `xs where cond`.
    case filter(Expr, condition: Expr)
    /// `if c then a else b`.
    case conditional(Expr, then: Expr, else: Expr)
    /// `x.field`.
    case member(Expr, Identifier)
    /// `f(args)`.
    case call(Expr, [Argument])
    /// `x exists`.
    case exists(Expr)
    /// `x is missing`.
    case isMissing(Expr)
    /// `30 days`, `6 months`, `(n * 2) days`: a count with a calendar unit.
    case duration(Expr, DurationUnit, unitRange: SourceRange)
    /// An expression that should be here but is not (empty range at the expected position).
    case missing
    /// Tokens that do not form an expression.
    case error(UnexpectedText)
}

// MARK: - Clauses

/// One clause line of a block (a measure's `include when ...`, a test's `fill ...`), with trivia.
public struct Clause<Kind: Hashable & Sendable>: Hashable, Sendable {
    /// The clause itself.
    public var kind: Kind
    /// The clause keyword(s) (`include when`, `next fill`, ...).
    public var keywordRange: SourceRange
    /// The whole clause, continuation lines included.
    public var range: SourceRange
    /// Comments and blank line.
    public var trivia: Trivia
    /// Text after the clause that could not be parsed (reported as an error).
    public var unexpected: UnexpectedText?

    /// Builds a clause.
    public init(
        kind: Kind, keywordRange: SourceRange, range: SourceRange, trivia: Trivia = .none,
        unexpected: UnexpectedText? = nil
    ) {
        self.kind = kind
        self.keywordRange = keywordRange
        self.range = range
        self.trivia = trivia
        self.unexpected = unexpected
    }
}

/// Clauses of a `pack` header.
public enum PackClause: Hashable, Sendable {
    /// `title "..."`
    case title(StringLiteral)
    /// `engine ">= 0.1.0, < 1.0.0"`
    case engine(StringLiteral)
    /// `currency USD`
    case currency(Identifier)
}

/// Clauses of a `valueset`.
public enum ValueSetClause: Hashable, Sendable {
    /// `version "D.0"`
    case version(StringLiteral)
}

/// Clauses of a `measure`.
public enum MeasureClause: Hashable, Sendable {
    /// `include when cond`
    case include(Expr)
    /// `exclude "reason" when cond` (the reason is optional)
    case exclude(reason: StringLiteral?, condition: Expr)
    /// `value name = expr`
    case value(name: Identifier, Expr)
    /// `for each name in list`: one row per element, the values computed with `name` bound to it.
    case forEach(name: Identifier, Expr)
}

/// Clauses of a `contract`.
public enum ContractClause: Hashable, Sendable {
    /// `window = period`
    case window(Expr)
    /// `eligible when cond`
    case eligible(Expr)
    /// `gate name = cond`
    case gate(name: Identifier, Expr)
    /// `event name = expr`
    case event(name: Identifier, Expr)
    /// `payout when cond = amount`, or `payout = amount`
    case payout(condition: Expr?, amount: Expr)
    /// `let name = expr`
    case `let`(name: Identifier, Expr)
}

/// An NCPDP reject code as written (`79`, `"M1"`, `AG`): kept as text so leading zeros survive.
public struct RejectCode: Hashable, Sendable {
    /// The code's text.
    public var text: String
    /// The code's bytes.
    public var range: SourceRange

    /// Builds a reject code.
    public init(text: String, range: SourceRange) {
        self.text = text
        self.range = range
    }
}

/// Clauses of a `claim rule`.
public enum ClaimRuleClause: Hashable, Sendable {
    /// `for fills where ...`
    case `for`(Expr)
    /// `codes reject_codes` (a value set of reject codes)
    case codes(Expr)
    /// `let name = expr`
    case `let`(name: Identifier, Expr)
    /// `reject 79 "message" when cond`
    case reject(code: RejectCode, message: StringLiteral?, condition: Expr)
    /// `next fill date` (the earliest acceptable fill date, attached to the preceding reject)
    case nextFill(Expr)
}

/// Kinds of synthetic records a `test` block can declare.
public enum TestRecordKind: String, Hashable, Sendable, CaseIterable {
    case member, enroll, fill, medical, observation
}

/// `name value` after a test record's leading values (`ndc 00000000101`, `days 30`).
public struct TestAttribute: Hashable, Sendable {
    /// The attribute name.
    public var name: Identifier
    /// Its value.
    public var value: Expr
    /// Name through value.
    public var range: SourceRange

    /// Builds an attribute.
    public init(name: Identifier, value: Expr, range: SourceRange) {
        self.name = name
        self.value = value
        self.range = range
    }
}

/// What an `expect` line asserts.
public enum Expectation: Hashable, Sendable {
    /// `= expr`
    case equals(Expr)
    /// `= reject 79`
    case rejects(RejectCode)
    /// `excluded` or `excluded "reason"`
    case excluded(reason: StringLiteral?)
    /// `included`
    case included
}

/// Statements of a `test` block.
public enum TestStatement: Hashable, Sendable {
    /// `fill 2025-01-01 ndc 00000000101 days 30`: the kind, its leading values
    /// (a date, a period, or a setting and a period, by kind) and then `name value` attributes.
    case record(TestRecordKind, values: [Expr], attributes: [TestAttribute])
    /// `param name = expr`
    case param(name: Identifier, Expr)
    /// `expect subject (on date)? (row n)? assertion`
    case expect(subject: Expr, on: Expr?, row: Expr?, Expectation)
}

// MARK: - Declarations

/// `pack "name" version "x.y.z"` and its header clauses.
public struct PackDeclaration: Hashable, Sendable {
    /// The pack name (`"pqa-adherence"`).
    public var name: StringLiteral
    /// The pack version, if written.
    public var version: StringLiteral?
    /// `title`, `engine`, `currency`.
    public var clauses: [Clause<PackClause>]

    /// Builds the node.
    public init(name: StringLiteral, version: StringLiteral?, clauses: [Clause<PackClause>]) {
        self.name = name
        self.version = version
        self.clauses = clauses
    }
}

/// `parameter name: Type = default`
public struct ParameterDeclaration: Hashable, Sendable {
    /// The parameter name.
    public var name: Identifier
    /// The declared type.
    public var type: TypeSyntax
    /// The default, overridable with `--param`.
    public var defaultValue: Expr

    /// Builds the node.
    public init(name: Identifier, type: TypeSyntax, defaultValue: Expr) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
    }
}

/// One parameter of a native function: `age: Int`.
public struct NativeParameter: Hashable, Sendable {
    public var name: Identifier
    public var type: TypeSyntax

    /// Builds the node.
    public init(name: Identifier, type: TypeSyntax) {
        self.name = name
        self.type = type
    }
}

/// `native name(a: Int, b: String) returns Decimal "what it computes"`: a function written in Swift in
/// the pack's module, declared here so that the checker can type its calls.
public struct NativeDeclaration: Hashable, Sendable {
    public var name: Identifier
    public var parameters: [NativeParameter]
    public var result: TypeSyntax
    /// One line for people (shown by `rxrules packs info`).
    public var documentation: StringLiteral?

    /// Builds the node.
    public init(name: Identifier, parameters: [NativeParameter], result: TypeSyntax, documentation: StringLiteral?) {
        self.name = name
        self.parameters = parameters
        self.result = result
        self.documentation = documentation
    }
}

/// Where a value set's codes come from.
public enum ValueSetSource: Hashable, Sendable {
    /// `file "path.csv" columns (code, ingredient)`; `columns` is empty when not written.
    case file(path: StringLiteral, columns: [Identifier])
    /// `icd10 ["N18.6", "I21*"]`: a code system and codes (a trailing `*` means prefix).
    case inline(system: Identifier, codes: [StringLiteral])
    /// Missing after a syntax error.
    case missing
}

/// `valueset name = source` with an optional `version` clause.
public struct ValueSetDeclaration: Hashable, Sendable {
    /// The value set name.
    public var name: Identifier
    /// Where its codes come from.
    public var source: ValueSetSource
    /// `version`.
    public var clauses: [Clause<ValueSetClause>]

    /// Builds the node.
    public init(name: Identifier, source: ValueSetSource, clauses: [Clause<ValueSetClause>]) {
        self.name = name
        self.source = source
        self.clauses = clauses
    }
}

/// `define name = expr` or `define name: Type = expr`
public struct DefineDeclaration: Hashable, Sendable {
    /// The defined name.
    public var name: Identifier
    /// The stated type, if any.
    public var type: TypeSyntax?
    /// The definition.
    public var value: Expr

    /// Builds the node.
    public init(name: Identifier, type: TypeSyntax?, value: Expr) {
        self.name = name
        self.type = type
        self.value = value
    }
}

/// `measure name "Title"` and its clauses.
public struct MeasureDeclaration: Hashable, Sendable {
    /// The declared name.
    public var name: Identifier
    /// The human-readable title, if written.
    public var title: StringLiteral?
    /// The clauses in order.
    public var clauses: [Clause<MeasureClause>]

    /// Builds the node.
    public init(name: Identifier, title: StringLiteral?, clauses: [Clause<MeasureClause>]) {
        self.name = name
        self.title = title
        self.clauses = clauses
    }
}

/// `contract name "Title"` and its clauses.
public struct ContractDeclaration: Hashable, Sendable {
    /// The declared name.
    public var name: Identifier
    /// The human-readable title, if written.
    public var title: StringLiteral?
    /// The clauses in order.
    public var clauses: [Clause<ContractClause>]

    /// Builds the node.
    public init(name: Identifier, title: StringLiteral?, clauses: [Clause<ContractClause>]) {
        self.name = name
        self.title = title
        self.clauses = clauses
    }
}

/// `claim rule name "Title"` and its clauses.
public struct ClaimRuleDeclaration: Hashable, Sendable {
    /// The declared name.
    public var name: Identifier
    /// The human-readable title, if written.
    public var title: StringLiteral?
    /// The clauses in order.
    public var clauses: [Clause<ClaimRuleClause>]

    /// Builds the node.
    public init(name: Identifier, title: StringLiteral?, clauses: [Clause<ClaimRuleClause>]) {
        self.name = name
        self.title = title
        self.clauses = clauses
    }
}

/// `test "name" { ... }`
public struct TestDeclaration: Hashable, Sendable {
    /// The test name.
    public var name: StringLiteral
    /// Records, parameters and expectations in order.
    public var statements: [Clause<TestStatement>]
    /// Comments just before the closing brace.
    public var closingComments: [SourceComment]

    /// Builds the node.
    public init(name: StringLiteral, statements: [Clause<TestStatement>], closingComments: [SourceComment] = []) {
        self.name = name
        self.statements = statements
        self.closingComments = closingComments
    }
}

/// The kinds of top-level declarations.
public enum DeclarationKind: Hashable, Sendable {
    case pack(PackDeclaration)
    case parameter(ParameterDeclaration)
    case valueSet(ValueSetDeclaration)
    case define(DefineDeclaration)
    case native(NativeDeclaration)
    case measure(MeasureDeclaration)
    case contract(ContractDeclaration)
    case claimRule(ClaimRuleDeclaration)
    case test(TestDeclaration)
    /// Lines that do not start a declaration (reported as an error).
    case unexpected(UnexpectedText)
}

/// A top-level declaration with its range and trivia.
public struct Declaration: Hashable, Sendable {
    /// What it declares.
    public var kind: DeclarationKind
    /// The declaration keyword(s) (`claim rule` is one range over both words).
    public var keywordRange: SourceRange
    /// The whole declaration, clauses included.
    public var range: SourceRange
    /// Comments above it, inside its header, and after its header line; blank line before it.
    public var trivia: Trivia
    /// Header text that could not be parsed (reported as an error).
    public var unexpected: UnexpectedText?

    /// Builds a declaration.
    public init(
        kind: DeclarationKind, keywordRange: SourceRange, range: SourceRange, trivia: Trivia = .none,
        unexpected: UnexpectedText? = nil
    ) {
        self.kind = kind
        self.keywordRange = keywordRange
        self.range = range
        self.trivia = trivia
        self.unexpected = unexpected
    }

    /// The declared name, for declarations that have one (`test` and `pack` names are strings).
    public var name: String? {
        switch kind {
        case .pack(let pack): pack.name.value
        case .parameter(let declaration): declaration.name.name
        case .valueSet(let declaration): declaration.name.name
        case .define(let declaration): declaration.name.name
        case .native(let declaration): declaration.name.name
        case .measure(let declaration): declaration.name.name
        case .contract(let declaration): declaration.name.name
        case .claimRule(let declaration): declaration.name.name
        case .test(let declaration): declaration.name.value
        case .unexpected: nil
        }
    }
}

/// The syntax tree of one rules file.
public struct FileSyntax: Hashable, Sendable {
    /// The file the ranges point into.
    public var file: SourceFileID
    /// Declarations in source order.
    public var declarations: [Declaration]
    /// Comments after the last declaration.
    public var endComments: [SourceComment]

    /// Builds a file tree.
    public init(file: SourceFileID, declarations: [Declaration], endComments: [SourceComment] = []) {
        self.file = file
        self.declarations = declarations
        self.endComments = endComments
    }
}
