/// A comment found by the lexer; the parser turns it into `Comment` trivia.
struct LexedComment: Sendable {
    var start: Int
    var end: Int
    var line: Int
    /// True when nothing but whitespace precedes it on its line.
    var isOwnLine: Bool
}

/// Splits a file's bytes into tokens and comments in one linear pass. Never fails: bad bytes
/// become `.invalid` tokens (runs of them merged) with a diagnostic.
struct Lexer {
    let file: SourceFile
    private(set) var tokens: [Token] = []
    private(set) var comments: [LexedComment] = []
    private(set) var diagnostics: [Diagnostic] = []

    private let bytes: [UInt8]
    private var position = 0
    private var line = 0
    private var lineStart = 0
    private var sawTokenOnLine = false
    private var lastInvalidUTF8Line = -1

    init(file: SourceFile) {
        self.file = file
        self.bytes = file.bytes
    }

    /// Lexes the whole file; the last token is always `.endOfFile`.
    static func lex(_ file: SourceFile) -> Lexer {
        var lexer = Lexer(file: file)
        lexer.run()
        return lexer
    }

    private func range(_ start: Int, _ end: Int) -> SourceRange {
        SourceRange(file: file.id, start: start, end: end)
    }

    private mutating func report(_ message: DiagnosticMessage, _ start: Int, _ end: Int, hint: String? = nil) {
        // Beyond the reporting limit nothing more is shown, so nothing more is kept (10 MB of junk
        // must not build millions of diagnostics).
        guard diagnostics.count <= RulesParser.maximumErrorCount else { return }
        diagnostics.append(Diagnostic(message, at: range(start, end), hint: hint))
    }

    private mutating func run() {
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                position += 1
                continue
            case UInt8(ascii: "\n"):
                position += 1
                line += 1
                lineStart = position
                sawTokenOnLine = false
                continue
            case UInt8(ascii: "#"):
                lexComment()
                continue
            default:
                break
            }
            let start = position
            let kind = lexToken()
            tokens.append(
                Token(
                    kind: kind, start: start, end: position, line: line, isFirstOnLine: !sawTokenOnLine,
                    isAtColumnOne: start == lineStart,
                    word: kind == .identifier ? Word.classify(bytes[start..<position]) : .other))
            sawTokenOnLine = true
        }
        tokens.append(
            Token(
                kind: .endOfFile, start: bytes.count, end: bytes.count, line: line, isFirstOnLine: true,
                isAtColumnOne: bytes.count == lineStart))
    }

    private mutating func lexComment() {
        let start = position
        while position < bytes.count, bytes[position] != UInt8(ascii: "\n") {
            if bytes[position] >= 0x80 {
                if let length = Lexer.validScalarLength(bytes, at: position) {
                    position += length
                } else {
                    reportInvalidUTF8(at: position)
                    position += 1
                }
            } else {
                position += 1
            }
        }
        var end = position
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t")
            || bytes[end - 1] == UInt8(ascii: "\r")
        {
            end -= 1
        }
        comments.append(LexedComment(start: start, end: end, line: line, isOwnLine: !sawTokenOnLine))
    }

    private mutating func reportInvalidUTF8(at offset: Int) {
        // One report per line keeps a file of random bytes from producing millions of diagnostics.
        guard lastInvalidUTF8Line != line else { return }
        lastInvalidUTF8Line = line
        report(.invalidUTF8(byte: bytes[offset]), offset, offset + 1)
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        let index = position + offset
        return index < bytes.count ? bytes[index] : nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 95
    }
    private static func isIdentifierPart(_ byte: UInt8) -> Bool { isIdentifierStart(byte) || isDigit(byte) }

    private mutating func lexToken() -> TokenKind {
        let byte = bytes[position]
        if Lexer.isIdentifierStart(byte) {
            position += 1
            while let next = peek(), Lexer.isIdentifierPart(next) { position += 1 }
            return .identifier
        }
        if Lexer.isDigit(byte) { return lexNumber() }
        if byte == UInt8(ascii: "\"") { return lexString() }
        position += 1
        switch byte {
        case UInt8(ascii: "="):
            if peek() == UInt8(ascii: "=") {
                position += 1
                return .doubleEqual
            }
            return .equal
        case UInt8(ascii: "!"):
            if peek() == UInt8(ascii: "=") {
                position += 1
                return .notEqual
            }
            report(.unexpectedCharacter("!"), position - 1, position, hint: "use 'not' for negation")
            return .invalid
        case UInt8(ascii: "<"):
            if peek() == UInt8(ascii: "=") {
                position += 1
                return .lessOrEqual
            }
            return .less
        case UInt8(ascii: ">"):
            if peek() == UInt8(ascii: "=") {
                position += 1
                return .greaterOrEqual
            }
            return .greater
        case UInt8(ascii: "?"):
            if peek() == UInt8(ascii: "?") {
                position += 1
                return .questionQuestion
            }
            return .question
        case UInt8(ascii: "."):
            if peek() == UInt8(ascii: ".") {
                position += 1
                return .dotDot
            }
            return .dot
        case UInt8(ascii: "+"): return .plus
        case UInt8(ascii: "-"): return .minus
        case UInt8(ascii: "*"): return .star
        case UInt8(ascii: "/"): return .slash
        case UInt8(ascii: ","): return .comma
        case UInt8(ascii: ":"): return .colon
        case UInt8(ascii: "("): return .leftParen
        case UInt8(ascii: ")"): return .rightParen
        case UInt8(ascii: "["): return .leftBracket
        case UInt8(ascii: "]"): return .rightBracket
        case UInt8(ascii: "{"): return .leftBrace
        case UInt8(ascii: "}"): return .rightBrace
        default:
            position -= 1
            lexInvalidRun()
            return .invalid
        }
    }

    /// Consumes a run of bytes that start no token and reports it once.
    private mutating func lexInvalidRun() {
        let start = position
        var firstDescription: String?
        var sawInvalidUTF8 = false
        while position < bytes.count, !Lexer.startsToken(bytes[position]) {
            let byte = bytes[position]
            if byte >= 0x80 {
                if let length = Lexer.validScalarLength(bytes, at: position) {
                    if firstDescription == nil {
                        firstDescription = String(decoding: bytes[position..<(position + length)], as: UTF8.self)
                    }
                    position += length
                } else {
                    if !sawInvalidUTF8, firstDescription == nil { sawInvalidUTF8 = true }
                    position += 1
                }
            } else {
                if firstDescription == nil, !sawInvalidUTF8 { firstDescription = Lexer.describe(byte) }
                position += 1
            }
        }
        if sawInvalidUTF8 {
            // Find the first bad byte for an exact location.
            var offset = start
            while offset < position {
                if bytes[offset] >= 0x80, let length = Lexer.validScalarLength(bytes, at: offset) {
                    offset += length
                } else if bytes[offset] >= 0x80 {
                    break
                } else {
                    offset += 1
                }
            }
            let bad = min(offset, position - 1)
            report(.invalidUTF8(byte: bytes[bad]), bad, bad + 1)
        } else {
            report(.unexpectedCharacter(firstDescription ?? "?"), start, position)
        }
    }

    /// True for bytes that can begin a token, whitespace or a comment (so an invalid run stops there).
    private static func startsToken(_ byte: UInt8) -> Bool {
        if isIdentifierPart(byte) { return true }
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: "#"),
            UInt8(ascii: "\""), UInt8(ascii: "="), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "?"),
            UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"),
            UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
            return true
        default:
            return false
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return String(UnicodeScalar(byte)) }
        let hex = String(byte, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    private mutating func lexNumber() -> TokenKind {
        let start = position
        while let next = peek(), Lexer.isDigit(next) { position += 1 }
        // A date is exactly DDDD-DD-DD.
        if position - start == 4, peek() == UInt8(ascii: "-"), let a = peek(1), let b = peek(2),
            Lexer.isDigit(a), Lexer.isDigit(b), peek(3) == UInt8(ascii: "-"), let c = peek(4), let d = peek(5),
            Lexer.isDigit(c), Lexer.isDigit(d), !(peek(6).map(Lexer.isDigit) ?? false)
        {
            position += 6
            return .date
        }
        if peek() == UInt8(ascii: "."), let next = peek(1), Lexer.isDigit(next) {
            position += 1
            while let digit = peek(), Lexer.isDigit(digit) { position += 1 }
            return .decimal
        }
        return .integer
    }

    private mutating func lexString() -> TokenKind {
        let start = position
        position += 1
        while position < bytes.count {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return .string
            case UInt8(ascii: "\n"):
                report(.unterminatedString(), start, position)
                return .string
            case UInt8(ascii: "\\"):
                let next = peek(1)
                if next == UInt8(ascii: "\"") || next == UInt8(ascii: "\\") {
                    position += 2
                } else if next == nil || next == UInt8(ascii: "\n") {
                    position += 1
                } else {
                    let length = next.flatMap { $0 < 0x80 ? 1 : Lexer.validScalarLength(bytes, at: position + 1) } ?? 1
                    report(
                        .invalidEscape(String(decoding: bytes[position..<(position + 1 + length)], as: UTF8.self)),
                        position, position + 1 + length)
                    position += 1 + length
                }
            default:
                if byte >= 0x80 {
                    if let length = Lexer.validScalarLength(bytes, at: position) {
                        position += length
                    } else {
                        reportInvalidUTF8(at: position)
                        position += 1
                    }
                } else {
                    position += 1
                }
            }
        }
        report(.unterminatedString(), start, position)
        return .string
    }

    /// Length of the valid UTF-8 scalar starting at `offset`, or nil if the bytes there are invalid.
    static func validScalarLength(_ bytes: [UInt8], at offset: Int) -> Int? {
        let first = bytes[offset]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upperBound = 0x9F
        case 0xF0:
            length = 4
            lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upperBound = 0x8F
        default: return nil
        }
        guard offset + length <= bytes.count else { return nil }
        let second = bytes[offset + 1]
        guard second >= lowerBound, second <= upperBound else { return nil }
        for index in (offset + 2)..<(offset + length) where bytes[index] & 0xC0 != 0x80 {
            return nil
        }
        return length
    }

    /// The value of a string token: quotes removed, `\"` and `\\` resolved, invalid UTF-8 replaced.
    static func stringValue(_ bytes: [UInt8], start: Int, end: Int) -> String {
        var result: [UInt8] = []
        var index = start + 1
        var stop = end
        if stop > index, bytes[stop - 1] == UInt8(ascii: "\"") { stop -= 1 }
        result.reserveCapacity(max(0, stop - index))
        while index < stop {
            if bytes[index] == UInt8(ascii: "\\"), index + 1 < stop,
                bytes[index + 1] == UInt8(ascii: "\"") || bytes[index + 1] == UInt8(ascii: "\\")
            {
                result.append(bytes[index + 1])
                index += 2
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }
}
