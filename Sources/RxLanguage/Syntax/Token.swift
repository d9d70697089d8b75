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
    /// For identifiers: which keyword-like word it is, classified once by the lexer so the parser's
    /// many keyword checks never allocate strings.
    var word: Word = .other
}

/// Words the parser treats specially, classified from bytes without allocating.
enum Word: UInt8, Sendable {
    case other
    // Declarations (reserved).
    case pack, parameter, valueset, define, measure, contract, claim, test
    // Expression keywords (reserved).
    case and, or, not, `in`, `where`, `if`, then, `else`, exists, `is`, `true`, `false`
    // Units (contextual).
    case day, days, month, months, year, years

    var isDeclaration: Bool { rawValue >= Word.pack.rawValue && rawValue <= Word.test.rawValue }
    var isReserved: Bool { rawValue >= Word.pack.rawValue && rawValue <= Word.false.rawValue }

    /// The unit a unit word spells.
    var durationUnit: DurationUnit? {
        switch self {
        case .day, .days: .days
        case .month, .months: .months
        case .year, .years: .years
        default: nil
        }
    }

    private static let byLength: [[([UInt8], Word)]] = {
        let all: [Word] = [
            .pack, .parameter, .valueset, .define, .measure, .contract, .claim, .test, .and, .or, .not, .in, .where,
            .if, .then, .else, .exists, .is, .true, .false, .day, .days, .month, .months, .year, .years,
        ]
        var table = [[([UInt8], Word)]](repeating: [], count: 10)
        for word in all {
            let bytes = Array(String(describing: word).utf8)
            table[bytes.count].append((bytes, word))
        }
        return table
    }()

    /// Classifies an identifier's bytes.
    static func classify(_ bytes: ArraySlice<UInt8>) -> Word {
        guard bytes.count < byLength.count else { return .other }
        for (spelling, word) in byLength[bytes.count] where spelling.elementsEqual(bytes) {
            return word
        }
        return .other
    }
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
