import RxValues

/// The blocks whose clause keywords decide where a clause (and error recovery) starts.
enum BlockKind: Sendable {
    case topLevel, pack, valueSet, measure, contract, claimRule, test

    /// How the block is named in messages.
    var displayName: String {
        switch self {
        case .topLevel: "a declaration"
        case .pack: "a pack header"
        case .valueSet: "a value set"
        case .measure: "a measure"
        case .contract: "a contract"
        case .claimRule: "a claim rule"
        case .test: "a test"
        }
    }

    /// Clause keywords, used for did-you-mean hints.
    var clauseKeywords: [String] {
        switch self {
        case .topLevel: []
        case .pack: ["title", "engine", "currency"]
        case .valueSet: ["version"]
        case .measure: ["include", "exclude", "for", "value"]
        case .contract: ["window", "eligible", "gate", "event", "payout", "let"]
        case .claimRule: ["for", "codes", "let", "reject", "next"]
        case .test: ["member", "enroll", "fill", "medical", "observation", "param", "expect"]
        }
    }
}

/// Recursive-descent parser over the lexer's tokens. Layout-sensitive only at line starts: a line
/// whose first token is a declaration keyword, or a clause keyword of the current block, ends the
/// expression in progress. That is also where error recovery resumes.
struct Parser {
    private let file: SourceFile
    private let bytes: [UInt8]
    private let tokens: [Token]
    private let comments: [LexedComment]
    private var diagnostics: [Diagnostic] = []
    private var errorCount = 0
    private var position = 0
    private var commentIndex = 0
    /// End of the last consumed token.
    private var lastEnd = 0
    private var lastLine = 0
    private var block: BlockKind = .topLevel
    private var depth = 0
    /// Set once an expression is too deep: everything up to the end of the clause is skipped.
    private var bailing = false
    /// Line of the last error reported in the current clause (one error per line and clause).
    private var lastErrorLine = -1
    /// In `payout when c = amount`, a top-level `=` ends the condition.
    private var equalsEndsExpression = false
    /// Height of the expression tree most recently returned by an expression parser; long operator
    /// chains make trees deep without deep recursion, and every later tree walk recurses on height.
    private var height = 0

    init(file: SourceFile, lexer: Lexer) {
        self.file = file
        self.bytes = file.bytes
        self.tokens = lexer.tokens
        self.comments = lexer.comments
        self.diagnostics = lexer.diagnostics
        self.errorCount = lexer.diagnostics.count
    }

    // MARK: Entry

    mutating func parseFile() -> ParseResult {
        var declarations: [Declaration] = []
        while tokens[position].kind != .endOfFile {
            declarations.append(parseDeclaration())
        }
        let endComments = takeComments(before: Int.max)
        var sorted = diagnostics.sortedByLocation()
        let limit = RulesParser.maximumErrorCount
        if sorted.count > limit, let last = sorted.last {
            sorted = Array(sorted.prefix(limit))
            sorted.append(Diagnostic(.tooManyErrors(limit: limit), at: last.range))
        }
        return ParseResult(
            syntax: FileSyntax(file: file.id, declarations: declarations, endComments: endComments),
            diagnostics: sorted)
    }

    // MARK: Tokens

    private var current: Token { tokens[position] }

    private func range(_ start: Int, _ end: Int) -> SourceRange {
        SourceRange(file: file.id, start: start, end: end)
    }

    private func range(of token: Token) -> SourceRange { range(token.start, token.end) }

    private func text(of token: Token) -> String {
        String(decoding: bytes[token.start..<token.end], as: UTF8.self)
    }

    private func tokenIs(_ token: Token, _ word: String) -> Bool {
        guard token.kind == .identifier else { return false }
        let utf8 = word.utf8
        guard utf8.count == token.end - token.start else { return false }
        return utf8.elementsEqual(bytes[token.start..<token.end])
    }

    private func isDeclarationKeyword(_ token: Token) -> Bool {
        token.word.isDeclaration
    }

    private func next(_ index: Int) -> Token { tokens[min(index + 1, tokens.count - 1)] }

    /// True when the token at `index` starts a clause of `block` (it must be first on its line).
    private func startsClause(_ index: Int) -> Bool {
        let token = tokens[index]
        guard token.kind == .identifier else { return false }
        let following = next(index)
        switch block {
        case .topLevel:
            return false
        case .pack:
            return tokenIs(token, "title") || tokenIs(token, "engine") || tokenIs(token, "currency")
        case .valueSet:
            return tokenIs(token, "version")
        case .measure:
            // `for` is an ordinary name in expressions, so it needs its `each`.
            if tokenIs(token, "for") { return tokenIs(following, "each") }
            return tokenIs(token, "include") || tokenIs(token, "exclude") || tokenIs(token, "value")
        case .contract:
            // `window` is also a common name in expressions, so it needs its `=`.
            if tokenIs(token, "window") { return following.kind == .equal }
            return tokenIs(token, "eligible") || tokenIs(token, "gate") || tokenIs(token, "event")
                || tokenIs(token, "let") || tokenIs(token, "payout")
        case .claimRule:
            if tokenIs(token, "next") { return tokenIs(following, "fill") }
            return tokenIs(token, "for") || tokenIs(token, "reject") || tokenIs(token, "codes") || tokenIs(token, "let")
        case .test:
            return tokenIs(token, "member") || tokenIs(token, "enroll") || tokenIs(token, "fill")
                || tokenIs(token, "medical") || tokenIs(token, "observation") || tokenIs(token, "param")
                || tokenIs(token, "expect")
        }
    }

    /// True when the token at `index` ends the current clause: end of file, a declaration or clause
    /// keyword at the start of a line, or the closing brace of a test body.
    private func isBoundary(_ index: Int) -> Bool {
        let token = tokens[index]
        if token.kind == .endOfFile { return true }
        if block == .test, token.kind == .rightBrace { return true }
        guard token.isFirstOnLine else { return false }
        return isDeclarationKeyword(token) || startsClause(index)
    }

    /// The current token's kind, or `.endOfFile` at a clause boundary.
    private var kind: TokenKind { isBoundary(position) ? .endOfFile : current.kind }

    private var atEnd: Bool { isBoundary(position) }

    private func atWord(_ word: String) -> Bool { !atEnd && tokenIs(current, word) }

    @discardableResult
    private mutating func advance() -> Token {
        let token = current
        if token.kind != .endOfFile {
            position += 1
            lastEnd = token.end
            lastLine = token.line
        }
        return token
    }

    /// How the current token is named in "found ..." messages.
    private var found: String {
        if atEnd {
            if current.kind == .endOfFile { return "end of file" }
            if current.kind == .rightBrace { return "'}'" }
            return "end of line"
        }
        switch current.kind {
        case .identifier, .integer, .decimal, .date:
            let length = current.end - current.start
            let shown = length > 40 ? String(decoding: bytes[current.start..<(current.start + 40)], as: UTF8.self) + "…"
                : text(of: current)
            return "'\(shown)'"
        case .string: return "a string"
        default: return current.kind.displayName
        }
    }

    /// Where a missing piece should go: the current token if it is on the same line, else just after
    /// the last consumed token.
    private var insertionRange: SourceRange {
        if !atEnd, current.line == lastLine { return range(of: current) }
        return range(lastEnd, lastEnd)
    }

    // MARK: Diagnostics

    private mutating func report(
        _ message: DiagnosticMessage, at where: SourceRange, notes: [DiagnosticNote] = [], hint: String? = nil,
        fixIt: FixIt? = nil
    ) {
        let line = file.location(of: `where`.start).line
        guard line != lastErrorLine, !bailing else { return }
        // A lexer diagnostic already covers invalid tokens.
        if position < tokens.count, current.kind == .invalid, `where`.start == current.start { return }
        lastErrorLine = line
        errorCount += 1
        guard errorCount <= RulesParser.maximumErrorCount + 1 else { return }
        diagnostics.append(Diagnostic(message, at: `where`, notes: notes, hint: hint, fixIt: fixIt))
    }

    private mutating func beginClause() {
        lastErrorLine = -1
        bailing = false
        depth = 0
        equalsEndsExpression = false
    }

    // MARK: Trivia

    private mutating func takeComments(before offset: Int) -> [SourceComment] {
        var result: [SourceComment] = []
        while commentIndex < comments.count, comments[commentIndex].start < offset {
            let comment = comments[commentIndex]
            result.append(
                SourceComment(
                    text: String(decoding: bytes[comment.start..<comment.end], as: UTF8.self),
                    range: range(comment.start, comment.end)))
            commentIndex += 1
        }
        return result
    }

    /// A comment on the same line as the last consumed token, after it.
    private mutating func takeTrailingComment() -> SourceComment? {
        guard commentIndex < comments.count else { return nil }
        let comment = comments[commentIndex]
        guard !comment.isOwnLine, comment.line == lastLine, comment.start >= lastEnd else { return nil }
        return takeComments(before: comment.start + 1).first
    }

    private func isBlankLine(_ line: Int) -> Bool {
        let lineRange = file.lineRange(line + 1)
        return bytes[lineRange].allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// Leading comments and blank-line flag for a node starting at the current token.
    private mutating func leadingTrivia() -> Trivia {
        let comments = takeComments(before: current.start)
        // Comments cut off from the node by a blank line form a block of their own.
        var split = comments.count
        var nextLine = current.line
        for index in comments.indices.reversed() {
            let line = file.location(of: comments[index].range.start).line - 1
            if nextLine - line > 1 { break }
            split = index
            nextLine = line
        }
        let firstLine = comments.first.map { file.location(of: $0.range.start).line - 1 } ?? current.line
        return Trivia(
            detached: Array(comments[..<split]), leading: Array(comments[split...]),
            blankLineBefore: firstLine > 0 && isBlankLine(firstLine - 1))
    }

    /// Completes trivia after a node's last token: interior comments and the trailing comment.
    private mutating func finishTrivia(_ trivia: inout Trivia) {
        trivia.interior = takeComments(before: lastEnd)
        trivia.trailing = takeTrailingComment()
    }

    // MARK: Recovery

    /// Skips everything up to the next boundary, reporting it once; returns the skipped text.
    private mutating func skipToBoundary() -> UnexpectedText? {
        guard !atEnd else { return nil }
        let first = current
        if first.isFirstOnLine, first.kind == .identifier {
            let word = text(of: first)
            if first.isAtColumnOne {
                report(
                    .expectedDeclaration(found: found), at: range(of: first),
                    hint: suggestion(for: word, among: Array(ReservedWord.declarations).sorted() + ["claim rule"]))
            } else if block != .topLevel {
                report(
                    .unknownClause(word, in: block.displayName), at: range(of: first),
                    hint: suggestion(for: word, among: block.clauseKeywords))
            } else {
                report(.extraneousInput(found: found), at: range(of: first))
            }
        } else if first.kind == .doubleEqual {
            report(.doubleEquals(), at: range(of: first))
        } else {
            report(.extraneousInput(found: found), at: range(of: first))
        }
        let start = first.start
        while !atEnd { advance() }
        return UnexpectedText(
            text: String(decoding: bytes[start..<lastEnd], as: UTF8.self), range: range(start, lastEnd))
    }

    private func suggestion(for word: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        for candidate in candidates {
            let distance = editDistance(word, candidate)
            if distance <= max(1, candidate.count / 3), best.map({ distance < $0.1 }) ?? true {
                best = (candidate, distance)
            }
        }
        return best.map { "did you mean '\($0.0)'?" }
    }

    /// Edit distance counting an adjacent transposition as one edit (`valeu` → `value` is 1).
    private func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8.prefix(64))
        let b = Array(b.utf8.prefix(64))
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[a.count][b.count]
    }

    // MARK: Small pieces

    /// A name after `after`; reserved words are reported but accepted so parsing continues.
    private mutating func parseName(after: String) -> Identifier {
        if kind == .identifier {
            let token = advance()
            let word = text(of: token)
            if ReservedWord.contains(word) {
                report(.reservedWordAsName(word), at: range(of: token))
            }
            return Identifier(word, range: range(of: token))
        }
        report(.expectedName(after: after, found: found), at: insertionRange)
        return Identifier("", range: range(lastEnd, lastEnd))
    }

    private mutating func parseString(_ what: String) -> StringLiteral? {
        guard kind == .string else {
            report(.expectedString(what, found: found), at: insertionRange)
            return nil
        }
        let token = advance()
        return stringLiteral(token)
    }

    private func stringLiteral(_ token: Token) -> StringLiteral {
        StringLiteral(Lexer.stringValue(bytes, start: token.start, end: token.end), range: range(of: token))
    }

    /// Consumes `symbol` or reports it missing; returns whether it was there.
    @discardableResult
    private mutating func expectSymbol(_ symbol: TokenKind, after: String) -> Bool {
        if kind == symbol {
            advance()
            return true
        }
        if symbol == .equal, kind == .doubleEqual {
            report(
                .doubleEquals(), at: range(of: current),
                fixIt: FixIt("replace '==' with '='", range: range(of: current), replacement: "="))
            advance()
            return true
        }
        let shown = symbol.displayName.filter { $0 != "'" }
        report(.expectedSymbol(shown, after: after, found: found), at: insertionRange)
        return false
    }

    @discardableResult
    private mutating func expectWord(_ word: String, after: String) -> Bool {
        if atWord(word) {
            advance()
            return true
        }
        report(.expectedKeyword(word, after: after, found: found), at: insertionRange)
        return false
    }

    private mutating func parseType() -> TypeSyntax {
        guard kind == .identifier else {
            report(.expectedType(found: found), at: insertionRange)
            return TypeSyntax(name: Identifier("", range: range(lastEnd, lastEnd)), range: range(lastEnd, lastEnd))
        }
        let nameToken = advance()
        let start = nameToken.start
        var arguments: [TypeSyntax] = []
        if kind == .less {
            advance()
            depth += 1
            if depth > RulesParser.maximumNestingDepth {
                report(.tooDeeplyNested(limit: RulesParser.maximumNestingDepth), at: range(of: nameToken))
                bailing = true
                depth -= 1
                return TypeSyntax(name: Identifier(text(of: nameToken), range: range(of: nameToken)), range: range(start, lastEnd))
            }
            while true {
                arguments.append(parseType())
                if kind == .comma {
                    advance()
                    continue
                }
                break
            }
            depth -= 1
            expectSymbol(.greater, after: "the type arguments")
        }
        var optional = false
        if kind == .question {
            advance()
            optional = true
        }
        return TypeSyntax(
            name: Identifier(text(of: nameToken), range: range(of: nameToken)), arguments: arguments,
            isOptional: optional, range: range(start, lastEnd))
    }

    // MARK: Declarations

    private mutating func parseDeclaration() -> Declaration {
        block = .topLevel
        beginClause()
        var trivia = leadingTrivia()
        let first = current
        let keywordStart = first.start
        let word = first.kind == .identifier ? text(of: first) : ""
        guard ReservedWord.declarations.contains(word) else {
            // Not a declaration: skip to the next declaration keyword at a line start.
            report(
                .expectedDeclaration(found: found), at: range(of: first),
                hint: first.kind == .identifier
                    ? suggestion(for: word, among: Array(ReservedWord.declarations).sorted()) : nil)
            advance()
            while !atEnd { advance() }
            let skipped = UnexpectedText(
                text: String(decoding: bytes[keywordStart..<lastEnd], as: UTF8.self), range: range(keywordStart, lastEnd))
            finishTrivia(&trivia)
            return Declaration(
                kind: .unexpected(skipped), keywordRange: range(of: first), range: skipped.range, trivia: trivia)
        }
        if !first.isAtColumnOne {
            report(.declarationNotAtColumnOne(word), at: range(of: first))
        }
        advance()
        var keywordRange = range(of: first)
        let declarationKind: DeclarationKind
        var unexpected: UnexpectedText?
        switch word {
        case "pack":
            block = .pack
            let name = parseString("the pack name") ?? StringLiteral("", range: range(lastEnd, lastEnd))
            var version: StringLiteral?
            if atWord("version") {
                advance()
                version = parseString("the pack version")
            }
            unexpected = finishHeader(&trivia)
            declarationKind = .pack(PackDeclaration(name: name, version: version, clauses: parseClauses(.pack, { $0.parsePackClause($1) })))
        case "parameter":
            let name = parseName(after: "parameter")
            expectSymbol(.colon, after: "the parameter name")
            let type = parseType()
            expectSymbol(.equal, after: "the parameter type")
            let value = parseExpression()
            unexpected = finishHeader(&trivia)
            declarationKind = .parameter(ParameterDeclaration(name: name, type: type, defaultValue: value))
        case "valueset":
            block = .valueSet
            declarationKind = .valueSet(parseValueSet(trivia: &trivia, unexpected: &unexpected))
        case "define":
            let name = parseName(after: "define")
            var type: TypeSyntax?
            if kind == .colon {
                advance()
                type = parseType()
            }
            expectSymbol(.equal, after: "the definition's name")
            let value = parseExpression()
            unexpected = finishHeader(&trivia)
            declarationKind = .define(DefineDeclaration(name: name, type: type, value: value))
        case "native":
            let name = parseName(after: "native")
            expectSymbol(.leftParen, after: "the native function's name")
            var parameters: [NativeParameter] = []
            while kind != .rightParen, !atEnd, kind != .endOfFile {
                let parameterName = parseName(after: "'(' or ','")
                expectSymbol(.colon, after: "the parameter name")
                parameters.append(NativeParameter(name: parameterName, type: parseType()))
                guard kind == .comma else { break }
                advance()
            }
            expectSymbol(.rightParen, after: "the parameters")
            expectWord("returns", after: ")")
            let result = parseType()
            let documentation = kind == .string ? stringLiteral(advance()) : nil
            unexpected = finishHeader(&trivia)
            declarationKind = .native(
                NativeDeclaration(name: name, parameters: parameters, result: result, documentation: documentation))
        case "measure":
            block = .measure
            let name = parseName(after: "measure")
            let title = kind == .string ? stringLiteral(advance()) : nil
            unexpected = finishHeader(&trivia)
            declarationKind = .measure(MeasureDeclaration(name: name, title: title, clauses: parseClauses(.measure, { $0.parseMeasureClause($1) })))
        case "contract":
            block = .contract
            let name = parseName(after: "contract")
            let title = kind == .string ? stringLiteral(advance()) : nil
            unexpected = finishHeader(&trivia)
            declarationKind = .contract(ContractDeclaration(name: name, title: title, clauses: parseClauses(.contract, { $0.parseContractClause($1) })))
        case "claim":
            block = .claimRule
            if expectWord("rule", after: "claim") { keywordRange = range(first.start, lastEnd) }
            let name = parseName(after: "claim rule")
            let title = kind == .string ? stringLiteral(advance()) : nil
            unexpected = finishHeader(&trivia)
            declarationKind = .claimRule(ClaimRuleDeclaration(name: name, title: title, clauses: parseClauses(.claimRule, { $0.parseClaimRuleClause($1) })))
        default:  // "test"
            declarationKind = .test(parseTest(trivia: &trivia, unexpected: &unexpected))
        }
        return Declaration(
            kind: declarationKind, keywordRange: keywordRange, range: range(keywordStart, lastEnd), trivia: trivia,
            unexpected: unexpected)
    }

    /// Ends a declaration's header line(s): skips leftovers and collects trivia.
    private mutating func finishHeader(_ trivia: inout Trivia) -> UnexpectedText? {
        let unexpected = skipToBoundary()
        finishTrivia(&trivia)
        return unexpected
    }

    private mutating func parseClauses<Kind>(
        _ kind: BlockKind, _ parseOne: (inout Parser, Token) -> Kind
    ) -> [Clause<Kind>] {
        block = kind
        var clauses: [Clause<Kind>] = []
        while current.kind != .endOfFile, !(current.isFirstOnLine && isDeclarationKeyword(current)),
            startsClause(position)
        {
            beginClause()
            var trivia = leadingTrivia()
            let keyword = advance()
            if keyword.isAtColumnOne {
                report(.clauseNotIndented(text(of: keyword)), at: range(of: keyword))
            }
            let clause = parseOne(&self, keyword)
            let unexpected = skipToBoundary()
            finishTrivia(&trivia)
            clauses.append(
                Clause(
                    kind: clause, keywordRange: range(of: keyword), range: range(keyword.start, lastEnd),
                    trivia: trivia, unexpected: unexpected))
        }
        return clauses
    }

    private mutating func parsePackClause(_ keyword: Token) -> PackClause {
        let word = text(of: keyword)
        switch word {
        case "title":
            return .title(parseString("the title") ?? StringLiteral("", range: range(lastEnd, lastEnd)))
        case "engine":
            return .engine(parseString("the engine version range") ?? StringLiteral("", range: range(lastEnd, lastEnd)))
        default:
            let name = parseName(after: "currency")
            if !name.isMissing, !(name.name.utf8.count == 3 && name.name.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 })) {
                report(.invalidCurrencyCode(name.name), at: name.range)
            }
            return .currency(name)
        }
    }

    private mutating func parseValueSet(trivia: inout Trivia, unexpected: inout UnexpectedText?) -> ValueSetDeclaration {
        let name = parseName(after: "valueset")
        expectSymbol(.equal, after: "the value set's name")
        var source = ValueSetSource.missing
        if atWord("file") {
            advance()
            let path = parseString("the file path") ?? StringLiteral("", range: range(lastEnd, lastEnd))
            var columns: [Identifier] = []
            if atWord("columns") {
                advance()
                if expectSymbol(.leftParen, after: "'columns'") {
                    let open = tokens[position - 1]
                    while kind == .identifier {
                        columns.append(parseName(after: "'('"))
                        guard kind == .comma else { break }
                        advance()
                    }
                    expectClosing(.rightParen, opener: open)
                }
            }
            source = .file(path: path, columns: columns)
        } else if kind == .identifier, next(position).kind == .leftBracket {
            let system = parseName(after: "=")
            let open = advance()
            var codes: [StringLiteral] = []
            while kind != .rightBracket, !atEnd {
                guard kind == .string else {
                    report(.expectedCodeString(found: found), at: insertionRange)
                    break
                }
                let code = stringLiteral(advance())
                if let star = code.value.firstIndex(of: "*"), code.value.index(after: star) != code.value.endIndex {
                    report(.misplacedWildcard(code.value), at: code.range)
                }
                codes.append(code)
                guard kind == .comma else { break }
                advance()
            }
            expectClosing(.rightBracket, opener: open)
            source = .inline(system: system, codes: codes)
        } else {
            report(.expectedValueSetSource(found: found), at: insertionRange)
        }
        var clauses: [Clause<ValueSetClause>] = []
        // `version` may end the header line or sit on its own line below it.
        if atWord("version") {
            let keyword = advance()
            let version = parseString("the version") ?? StringLiteral("", range: range(lastEnd, lastEnd))
            unexpected = finishHeader(&trivia)
            clauses.append(
                Clause(kind: .version(version), keywordRange: range(of: keyword), range: range(keyword.start, lastEnd)))
        } else {
            unexpected = finishHeader(&trivia)
        }
        clauses += parseClauses(.valueSet) { parser, _ in
            .version(parser.parseString("the version") ?? StringLiteral("", range: parser.range(parser.lastEnd, parser.lastEnd)))
        }
        return ValueSetDeclaration(name: name, source: source, clauses: clauses)
    }

    private mutating func parseMeasureClause(_ keyword: Token) -> MeasureClause {
        switch text(of: keyword) {
        case "include":
            expectWord("when", after: "include")
            return .include(parseExpression())
        case "exclude":
            let reason = kind == .string ? stringLiteral(advance()) : nil
            expectWord("when", after: reason == nil ? "exclude" : "the exclusion reason")
            return .exclude(reason: reason, condition: parseExpression())
        case "for":
            advance()  // each
            let name = parseName(after: "for each")
            expectWord("in", after: "for each \(name.name)")
            return .forEach(name: name, parseExpression())
        default:
            let name = parseName(after: "value")
            expectSymbol(.equal, after: "the value's name")
            return .value(name: name, parseExpression())
        }
    }

    private mutating func parseContractClause(_ keyword: Token) -> ContractClause {
        switch text(of: keyword) {
        case "window":
            expectSymbol(.equal, after: "'window'")
            return .window(parseExpression())
        case "eligible":
            expectWord("when", after: "eligible")
            return .eligible(parseExpression())
        case "gate":
            let name = parseName(after: "gate")
            expectSymbol(.equal, after: "the gate's name")
            return .gate(name: name, parseExpression())
        case "event":
            let name = parseName(after: "event")
            expectSymbol(.equal, after: "the event's name")
            return .event(name: name, parseExpression())
        case "payout":
            var condition: Expr?
            if atWord("when") {
                advance()
                equalsEndsExpression = true
                condition = parseExpression()
                equalsEndsExpression = false
            }
            expectSymbol(.equal, after: condition == nil ? "'payout'" : "the payout condition")
            return .payout(condition: condition, amount: parseExpression())
        default:
            let name = parseName(after: "let")
            expectSymbol(.equal, after: "the name")
            return .let(name: name, parseExpression())
        }
    }

    private mutating func parseRejectCode() -> RejectCode {
        switch kind {
        case .integer,
            .identifier where !atWord("when"):
            let token = advance()
            return RejectCode(text: text(of: token), range: range(of: token))
        case .string:
            let literal = stringLiteral(advance())
            return RejectCode(text: literal.value, range: literal.range)
        default:
            report(.expectedRejectCode(found: found), at: insertionRange)
            return RejectCode(text: "", range: range(lastEnd, lastEnd))
        }
    }

    private mutating func parseClaimRuleClause(_ keyword: Token) -> ClaimRuleClause {
        switch text(of: keyword) {
        case "for":
            return .for(parseExpression())
        case "codes":
            return .codes(parseExpression())
        case "let":
            let name = parseName(after: "let")
            expectSymbol(.equal, after: "the name")
            return .let(name: name, parseExpression())
        case "reject":
            let code = parseRejectCode()
            let message = kind == .string ? stringLiteral(advance()) : nil
            expectWord("when", after: message == nil ? "the reject code" : "the reject message")
            return .reject(code: code, message: message, condition: parseExpression())
        default:  // next fill
            advance()
            return .nextFill(parseExpression())
        }
    }

    private mutating func parseTest(trivia: inout Trivia, unexpected: inout UnexpectedText?) -> TestDeclaration {
        let name = parseString("the test name") ?? StringLiteral("", range: range(lastEnd, lastEnd))
        // Without its '{' the body is still parsed as test statements, so one mistake is one error.
        var open: Token?
        block = .test
        if kind == .leftBrace {
            open = advance()
        } else {
            report(.expectedOpeningBrace(found: found), at: insertionRange)
        }
        block = .test
        unexpected = finishHeader(&trivia)
        let statements = parseClauses(.test, { $0.parseTestStatement($1) })
        let closing = takeComments(before: current.start)
        if current.kind == .rightBrace {
            advance()
            if let trailing = takeTrailingComment() {
                trivia.interior.append(trailing)
            }
            // Anything after '}' on the same line is junk.
            block = .topLevel
            if !atEnd, current.line == lastLine {
                let junk = skipToBoundary()
                if unexpected == nil { unexpected = junk }
            }
        } else if let open {
            report(
                .unclosedTestBody(), at: range(lastEnd, lastEnd),
                notes: [DiagnosticNote("'{' opened here", at: range(of: open))])
        }
        return TestDeclaration(name: name, statements: statements, closingComments: closing)
    }

    /// A value in a test record: a literal, name, list or parenthesized expression, optionally `a .. b`.
    private mutating func parseTestValue(_ what: String, after: String, allowName: Bool = true) -> Expr? {
        guard startsOperand, allowName || kind != .identifier else {
            report(.expectedTestValue(what, after: after, found: found), at: insertionRange)
            return nil
        }
        let start = parseAtom()
        guard kind == .dotDot else { return start }
        let op = advance()
        let end = parseAtom()
        return Expr(.binary(.range, start, end, operatorRange: range(of: op)), range: start.range.union(end.range))
    }

    private var startsOperand: Bool {
        switch kind {
        case .identifier:
            return !current.word.isReserved || current.word == .true || current.word == .false
        case .integer, .decimal, .date, .string, .leftParen, .leftBracket, .minus:
            return true
        default:
            return false
        }
    }

    /// `-`? primary (no postfix units, so `days 30 quantity 30` stays two attributes).
    private mutating func parseAtom() -> Expr {
        if kind == .minus {
            let op = advance()
            let operand = parsePrimary()
            return Expr(.unary(.negate, operand, operatorRange: range(of: op)), range: range(op.start, operand.range.end))
        }
        return parsePrimary()
    }

    private mutating func parseTestStatement(_ keyword: Token) -> TestStatement {
        let word = text(of: keyword)
        if let recordKind = TestRecordKind(rawValue: word) {
            var values: [Expr] = []
            switch recordKind {
            case .member:
                break
            case .enroll:
                if let value = parseTestValue("the enrollment period", after: word, allowName: false) { values.append(value) }
            case .fill, .observation:
                if let value = parseTestValue("a date", after: word, allowName: false) { values.append(value) }
            case .medical:
                if let setting = parseTestValue("a setting such as 'inpatient'", after: word) {
                    values.append(setting)
                    if let period = parseTestValue("the service period", after: "the setting", allowName: false) { values.append(period) }
                }
            }
            var attributes: [TestAttribute] = []
            while kind == .identifier, !current.word.isReserved {
                let name = advance()
                let identifier = Identifier(text(of: name), range: range(of: name))
                guard let value = parseTestValue("a value", after: identifier.name) else { break }
                attributes.append(TestAttribute(name: identifier, value: value, range: range(name.start, lastEnd)))
            }
            return .record(recordKind, values: values, attributes: attributes)
        }
        if word == "param" {
            let name = parseName(after: "param")
            expectSymbol(.equal, after: "the parameter name")
            return .param(name: name, parseExpression())
        }
        // expect
        let subject = parsePostfix()
        var on: Expr?
        if atWord("on") {
            advance()
            on = parseTestValue("a date", after: "on")
        }
        var row: Expr?
        if atWord("row") {
            advance()
            row = parseTestValue("a row number", after: "row")
        }
        let expectation: Expectation
        if kind == .equal || kind == .doubleEqual {
            expectSymbol(.equal, after: "the subject")
            if atWord("reject") {
                advance()
                expectation = .rejects(parseRejectCode())
            } else {
                expectation = .equals(parseExpression())
            }
        } else if atWord("excluded") {
            advance()
            expectation = .excluded(reason: kind == .string ? stringLiteral(advance()) : nil)
        } else if atWord("included") {
            advance()
            expectation = .included
        } else {
            report(.expectedExpectation(found: found), at: insertionRange)
            expectation = .equals(Expr(.missing, range: range(lastEnd, lastEnd)))
        }
        return .expect(subject: subject, on: on, row: row, expectation)
    }

    // MARK: Expressions

    private func missing() -> Expr { Expr(.missing, range: range(lastEnd, lastEnd)) }

    /// Reports the nesting limit once and switches to skipping mode.
    private mutating func tooDeep(limit: Int = RulesParser.maximumNestingDepth) -> Expr {
        if !bailing {
            report(.tooDeeplyNested(limit: limit), at: insertionRange)
            bailing = true
        }
        height = 1
        return Expr(.missing, range: range(lastEnd, lastEnd))
    }

    /// Grows the current tree by one level above a child of height `child`; false past the limit.
    private mutating func grow(_ current: inout Int, over child: Int) -> Bool {
        current = max(current, child) + 1
        return current <= RulesParser.maximumExpressionHeight
    }

    /// filter level: `xs where cond` (left-associative).
    mutating func parseExpression() -> Expr {
        guard !bailing else { return missing() }
        depth += 1
        defer { depth -= 1 }
        if depth > RulesParser.maximumNestingDepth { return tooDeep() }
        var result = parseBinary(minimumPrecedence: 1)
        var treeHeight = height
        while !bailing, atWord("where") {
            advance()
            let condition = parseBinary(minimumPrecedence: 1)
            guard grow(&treeHeight, over: height) else { return tooDeep(limit: RulesParser.maximumExpressionHeight) }
            result = Expr(.filter(result, condition: condition), range: result.range.union(condition.range))
        }
        height = treeHeight
        return result
    }

    /// The binary operator at the current token, with how many tokens it spans.
    private func currentBinaryOperator() -> (BinaryOperator, Int)? {
        switch kind {
        case .equal: return equalsEndsExpression ? nil : (.equal, 1)
        case .doubleEqual: return equalsEndsExpression ? nil : (.equal, 1)
        case .notEqual: return (.notEqual, 1)
        case .less: return (.less, 1)
        case .lessOrEqual: return (.lessOrEqual, 1)
        case .greater: return (.greater, 1)
        case .greaterOrEqual: return (.greaterOrEqual, 1)
        case .questionQuestion: return (.defaulting, 1)
        case .dotDot: return (.range, 1)
        case .plus: return (.add, 1)
        case .minus: return (.subtract, 1)
        case .star: return (.multiply, 1)
        case .slash: return (.divide, 1)
        case .identifier:
            if tokenIs(current, "and") { return (.and, 1) }
            if tokenIs(current, "or") { return (.or, 1) }
            if tokenIs(current, "in") { return (.in, 1) }
            if tokenIs(current, "not"), !isBoundary(position + 1), tokenIs(next(position), "in") { return (.notIn, 2) }
            return nil
        default:
            return nil
        }
    }

    /// Precedence climbing over the binary levels (or .. multiplicative).
    private mutating func parseBinary(minimumPrecedence: Int) -> Expr {
        var left = parsePrefix()
        var treeHeight = height
        var lastComparison = false
        var lastRange = false
        while !bailing, let (op, width) = currentBinaryOperator(), op.precedence >= minimumPrecedence {
            let opToken = current
            if opToken.kind == .doubleEqual {
                report(
                    .doubleEquals(), at: range(of: opToken),
                    fixIt: FixIt("replace '==' with '='", range: range(of: opToken), replacement: "="))
            }
            if op.isComparison, lastComparison {
                report(.chainedComparison(op.rawValue), at: range(of: opToken))
            }
            if op == .range, lastRange {
                report(.chainedRange(), at: range(of: opToken))
            }
            for _ in 0..<width { advance() }
            let operatorRange = range(opToken.start, lastEnd)
            // The right operand nests one level deeper (right-associative `??` chains nest without bound).
            depth += 1
            if depth > RulesParser.maximumNestingDepth {
                depth -= 1
                return tooDeep()
            }
            let right = parseBinary(minimumPrecedence: op == .defaulting ? op.precedence : op.precedence + 1)
            depth -= 1
            guard grow(&treeHeight, over: height) else { return tooDeep(limit: RulesParser.maximumExpressionHeight) }
            lastComparison = op.isComparison
            lastRange = op == .range
            left = Expr(.binary(op, left, right, operatorRange: operatorRange), range: left.range.union(right.range))
        }
        height = treeHeight
        return left
    }

    /// `not a` (looser than comparisons) and `-a`.
    private mutating func parsePrefix() -> Expr {
        guard !bailing else { return missing() }
        if atWord("not") {
            let op = advance()
            depth += 1
            defer { depth -= 1 }
            if depth > RulesParser.maximumNestingDepth { return tooDeep() }
            let operand = parseBinary(minimumPrecedence: BinaryOperator.equal.precedence)
            height += 1
            return Expr(.unary(.not, operand, operatorRange: range(of: op)), range: range(op.start, max(op.end, operand.range.end)))
        }
        if kind == .minus {
            let op = advance()
            depth += 1
            defer { depth -= 1 }
            if depth > RulesParser.maximumNestingDepth { return tooDeep() }
            let operand = parsePrefix()
            height += 1
            return Expr(.unary(.negate, operand, operatorRange: range(of: op)), range: range(op.start, max(op.end, operand.range.end)))
        }
        return parsePostfix()
    }

    /// `x.field`, `f(args)`, `x exists`, `x is missing`, `30 days`.
    private mutating func parsePostfix() -> Expr {
        var result = parsePrimary()
        var treeHeight = height
        while !bailing, !atEnd {
            let token = current
            let sameLine = token.line == lastLine
            if token.kind == .dot {
                advance()
                let name = parseName(after: "'.'")
                result = Expr(.member(result, name), range: range(result.range.start, lastEnd))
            } else if token.kind == .leftParen, sameLine {
                let arguments = parseArguments()
                treeHeight = max(treeHeight, height)
                result = Expr(.call(result, arguments), range: range(result.range.start, lastEnd))
            } else if tokenIs(token, "exists") {
                advance()
                result = Expr(.exists(result), range: range(result.range.start, lastEnd))
            } else if tokenIs(token, "is") {
                advance()
                expectWord("missing", after: "is")
                result = Expr(.isMissing(result), range: range(result.range.start, lastEnd))
            } else if token.kind == .identifier, sameLine, let unit = token.word.durationUnit {
                advance()
                result = Expr(.duration(result, unit, unitRange: range(of: token)), range: range(result.range.start, lastEnd))
            } else {
                break
            }
            guard grow(&treeHeight, over: 0) else { return tooDeep(limit: RulesParser.maximumExpressionHeight) }
        }
        height = treeHeight
        return result
    }

    private mutating func expectClosing(_ closing: TokenKind, opener: Token) {
        if kind == closing {
            advance()
            return
        }
        let symbol = closing.displayName.filter { $0 != "'" }
        report(
            .expectedClosing(symbol, found: found), at: insertionRange,
            notes: [DiagnosticNote("to match this \(opener.kind.displayName)", at: range(of: opener))])
    }

    private mutating func parseArguments() -> [Argument] {
        let open = advance()
        let saved = equalsEndsExpression
        equalsEndsExpression = false
        defer { equalsEndsExpression = saved }
        var arguments: [Argument] = []
        var sawNamed = false
        var tallest = 0
        defer { height = tallest }
        while kind != .rightParen, !atEnd, !bailing {
            let start = current.start
            var label: Identifier?
            if kind == .identifier, next(position).kind == .colon, !isBoundary(position + 1) {
                let token = advance()
                label = Identifier(text(of: token), range: range(of: token))
                advance()
                sawNamed = true
            } else if sawNamed {
                report(.positionalAfterNamed(), at: range(of: current))
            }
            let value = parseExpression()
            tallest = max(tallest, height)
            arguments.append(Argument(label: label, value: value, range: range(start, max(start, lastEnd))))
            guard kind == .comma else { break }
            advance()
        }
        expectClosing(.rightParen, opener: open)
        return arguments
    }

    private mutating func parsePrimary() -> Expr {
        guard !bailing else { return missing() }
        height = 1
        let token = current
        switch kind {
        case .identifier:
            switch token.word {
            case .true, .false:
                advance()
                return Expr(.boolean(token.word == .true), range: range(of: token))
            case .if:
                return parseConditional()
            default:
                if token.word.isReserved {
                    report(.expectedExpression(found: found), at: range(of: token))
                    return missing()
                }
                advance()
                return Expr(.name(text(of: token)), range: range(of: token))
            }
        case .integer, .decimal:
            advance()
            let literal = text(of: token)
            // `5000.00 USD`: a number followed on the same line by a three-capital-letter code.
            if kind == .identifier, current.line == token.line, current.end - current.start == 3,
                bytes[current.start..<current.end].allSatisfy({ $0 >= 65 && $0 <= 90 })
            {
                let currency = advance()
                guard let amount = ExactDecimal(literal) else {
                    report(.decimalTooPrecise(literal), at: range(of: token))
                    return errorNode(token.start, lastEnd)
                }
                return Expr(.money(amount, currency: text(of: currency), text: literal), range: range(token.start, lastEnd))
            }
            if token.kind == .integer {
                guard let value = Int64(literal) else {
                    report(.integerTooLarge(literal), at: range(of: token))
                    return errorNode(token.start, token.end)
                }
                return Expr(.integer(value, text: literal), range: range(of: token))
            }
            guard let value = ExactDecimal(literal) else {
                report(.decimalTooPrecise(literal), at: range(of: token))
                return errorNode(token.start, token.end)
            }
            return Expr(.decimal(value, text: literal), range: range(of: token))
        case .date:
            advance()
            let literal = text(of: token)
            guard let day = Day(literal) else {
                report(.invalidDate(literal), at: range(of: token))
                return errorNode(token.start, token.end)
            }
            return Expr(.date(day), range: range(of: token))
        case .string:
            advance()
            return Expr(.string(stringLiteral(token).value), range: range(of: token))
        case .leftParen:
            advance()
            let saved = equalsEndsExpression
            equalsEndsExpression = false
            let inner = parseExpression()
            height += 1
            equalsEndsExpression = saved
            expectClosing(.rightParen, opener: token)
            return Expr(.parenthesized(inner), range: range(token.start, lastEnd))
        case .leftBracket:
            advance()
            let saved = equalsEndsExpression
            equalsEndsExpression = false
            var elements: [Expr] = []
            var tallest = 0
            while kind != .rightBracket, !atEnd, !bailing {
                elements.append(parseExpression())
                tallest = max(tallest, height)
                guard kind == .comma else { break }
                advance()
            }
            height = tallest + 1
            equalsEndsExpression = saved
            expectClosing(.rightBracket, opener: token)
            return Expr(.list(elements), range: range(token.start, lastEnd))
        default:
            report(.expectedExpression(found: found), at: insertionRange)
            return missing()
        }
    }

    private func errorNode(_ start: Int, _ end: Int) -> Expr {
        Expr(
            .error(UnexpectedText(text: String(decoding: bytes[start..<end], as: UTF8.self), range: range(start, end))),
            range: range(start, end))
    }

    /// `if c then a else b`; each part is a full expression.
    private mutating func parseConditional() -> Expr {
        let start = advance()
        let saved = equalsEndsExpression
        equalsEndsExpression = false
        defer { equalsEndsExpression = saved }
        let condition = parseExpression()
        var tallest = height
        expectWord("then", after: "the condition of 'if'")
        let then = parseExpression()
        tallest = max(tallest, height)
        expectWord("else", after: "the 'then' branch")
        let otherwise = parseExpression()
        height = max(tallest, height) + 1
        return Expr(.conditional(condition, then: then, else: otherwise), range: range(start.start, lastEnd))
    }
}
