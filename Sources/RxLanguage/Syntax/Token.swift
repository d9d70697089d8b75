/// Kinds of tokens. Words are all `.identifier`; the parser decides which are keywords by context
/// (clause keywords such as `value` or `window` are ordinary names inside expressions).
enum TokenKind: Hashable, Sendable {
    case identifier
    case integer
    case decimal
    case date
    case string
    // Punctuation and operators.
    case equal, notEqual, doubleEqual, less, lessOrEqual, greater, greaterOrEqual
    case plus, minus, star, slash, questionQuestion, question, dotDot, dot, comma, colon
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    /// A byte or character that starts no token (already diagnosed by the lexer).
    case invalid
    case endOfFile

    /// How the token is named in messages.
    var displayName: String {
        switch self {
        case .identifier: "name"
        case .integer: "integer"
        case .decimal: "decimal"
        case .date: "date"
        case .string: "string"
        case .equal: "'='"
        case .notEqual: "'!='"
        case .doubleEqual: "'=='"
        case .less: "'<'"
        case .lessOrEqual: "'<='"
        case .greater: "'>'"
        case .greaterOrEqual: "'>='"
        case .plus: "'+'"
        case .minus: "'-'"
        case .star: "'*'"
        case .slash: "'/'"
        case .questionQuestion: "'??'"
        case .question: "'?'"
        case .dotDot: "'..'"
        case .dot: "'.'"
        case .comma: "','"
        case .colon: "':'"
        case .leftParen: "'('"
        case .rightParen: "')'"
        case .leftBracket: "'['"
        case .rightBracket: "']'"
        case .leftBrace: "'{'"
        case .rightBrace: "'}'"
        case .invalid: "invalid character"
        case .endOfFile: "end of file"
        }
    }
}

/// One token: kind, byte range and layout facts the layout-sensitive parser needs.
struct Token: Sendable {
    var kind: TokenKind
    /// First byte.
    var start: Int
    /// One past the last byte.
    var end: Int
    /// 0-based line index.
    var line: Int
    /// True when the token is the first one on its line.
    var isFirstOnLine: Bool
    /// True when the token starts at column 1.
    var isAtColumnOne: Bool
    /// True when whitespace or a line break precedes it directly.
    var followsSpace: Bool
}

/// Words that can never be names.
enum ReservedWord {
    /// Declaration keywords; at the start of a line they always begin a declaration.
    static let declarations: Set<String> = [
        "pack", "parameter", "valueset", "define", "measure", "contract", "claim", "test",
    ]
    /// Expression keywords.
    static let expressions: Set<String> = [
        "and", "or", "not", "in", "where", "if", "then", "else", "exists", "is", "true", "false",
    ]

    static func contains(_ word: String) -> Bool {
        declarations.contains(word) || expressions.contains(word)
    }
}
