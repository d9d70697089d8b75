/// Prints a syntax tree in the one canonical layout of the rules language.
///
/// Layout: declarations start at column 1, clauses are indented two spaces (`next fill` four),
/// continuation lines four more than their clause. Block declarations are separated by one blank
/// line; elsewhere one blank line is kept where the author had one. Every comment is printed: leading
/// and trailing ones in place, comments from inside a multi-line clause just above that clause.
/// Formatting is idempotent: `format(parse(format(x)))` equals `format(x)`.
public struct RulesFormatter: Sendable {
    /// Lines longer than this are wrapped before top-level `where`, `and`, `or`.
    public var lineWidth: Int

    /// Builds a formatter.
    public init(lineWidth: Int = 100) {
        self.lineWidth = lineWidth
    }

    /// Parses and formats source text; nil when the file has syntax errors (nothing is formatted then).
    public func format(_ file: SourceFile) -> String? {
        let result = RulesParser.parse(file)
        guard !result.diagnostics.containsErrors else { return nil }
        return format(result.syntax)
    }

    /// Formats a tree. Trees with error nodes still print (their skipped text verbatim).
    public func format(_ syntax: FileSyntax) -> String {
        var lines: [String] = []
        var previousWasBlock = false
        for (index, declaration) in syntax.declarations.enumerated() {
            let isBlock = Self.isBlock(declaration.kind)
            if index > 0, isBlock || previousWasBlock || declaration.trivia.blankLineBefore {
                lines.append("")
            }
            write(declaration, into: &lines)
            previousWasBlock = isBlock
        }
        if !syntax.endComments.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines += syntax.endComments.map(\.text)
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    private static func isBlock(_ kind: DeclarationKind) -> Bool {
        switch kind {
        case .pack, .measure, .contract, .claimRule, .test: true
        case .valueSet(let valueSet): !valueSet.clauses.isEmpty
        case .parameter, .define, .native, .unexpected: false
        }
    }

    // MARK: Declarations

    private func write(_ declaration: Declaration, into lines: inout [String]) {
        let trivia = declaration.trivia
        if !trivia.detached.isEmpty { lines += trivia.detached.map(\.text) + [""] }
        lines += trivia.leading.map(\.text)
        lines += trivia.interior.map(\.text)
        var header: [String]
        switch declaration.kind {
        case .pack(let pack):
            var line = "pack " + ExpressionPrinter.quoted(pack.name.value)
            if let version = pack.version { line += " version " + ExpressionPrinter.quoted(version.value) }
            header = [line]
        case .parameter(let parameter):
            header = expressionLines(
                "parameter \(parameter.name.name): \(typeText(parameter.type)) = ", parameter.defaultValue, indent: 0)
        case .valueSet(let valueSet):
            var line = "valueset \(valueSet.name.name) = "
            switch valueSet.source {
            case .file(let path, let columns):
                line += "file " + ExpressionPrinter.quoted(path.value)
                if !columns.isEmpty { line += " columns (" + columns.map(\.name).joined(separator: ", ") + ")" }
            case .inline(let system, let codes):
                line += system.name + " [" + codes.map { ExpressionPrinter.quoted($0.value) }.joined(separator: ", ") + "]"
            case .missing:
                break
            }
            header = [line]
        case .define(let define):
            var prefix = "define \(define.name.name)"
            if let type = define.type { prefix += ": " + typeText(type) }
            header = expressionLines(prefix + " = ", define.value, indent: 0)
        case .native(let native):
            let parameters = native.parameters.map { "\($0.name.name): \(typeText($0.type))" }.joined(separator: ", ")
            var line = "native \(native.name.name)(\(parameters)) returns \(typeText(native.result))"
            if let documentation = native.documentation { line += " " + ExpressionPrinter.quoted(documentation.value) }
            header = [line]
        case .measure(let measure):
            header = ["measure \(measure.name.name)" + title(measure.title)]
        case .contract(let contract):
            header = ["contract \(contract.name.name)" + title(contract.title)]
        case .claimRule(let rule):
            header = ["claim rule \(rule.name.name)" + title(rule.title)]
        case .test(let test):
            header = ["test " + ExpressionPrinter.quoted(test.name.value) + " {"]
        case .unexpected(let text):
            header = [text.text]
        }
        if let unexpected = declaration.unexpected { header[header.count - 1] += " " + unexpected.text }
        if let trailing = trivia.trailing { header[header.count - 1] += "  " + trailing.text }
        lines += header
        switch declaration.kind {
        case .pack(let pack):
            for clause in pack.clauses { write(clause, indent: 2, into: &lines) { packClause($0) } }
        case .valueSet(let valueSet):
            for clause in valueSet.clauses {
                write(clause, indent: 2, into: &lines) {
                    switch $0 {
                    case .version(let version): ["version " + ExpressionPrinter.quoted(version.value)]
                    }
                }
            }
        case .measure(let measure):
            for clause in measure.clauses { write(clause, indent: 2, into: &lines) { measureClause($0) } }
        case .contract(let contract):
            for clause in contract.clauses { write(clause, indent: 2, into: &lines) { contractClause($0) } }
        case .claimRule(let rule):
            for clause in rule.clauses {
                var indent = 2
                if case .nextFill = clause.kind { indent = 4 }
                write(clause, indent: indent, into: &lines) { claimRuleClause($0, indent: indent) }
            }
        case .test(let test):
            for statement in test.statements { write(statement, indent: 2, into: &lines) { [testStatement($0)] } }
            lines += test.closingComments.map { "  " + $0.text }
            lines.append("}")
        case .parameter, .define, .native, .unexpected:
            break
        }
    }

    private func title(_ literal: StringLiteral?) -> String {
        literal.map { " " + ExpressionPrinter.quoted($0.value) } ?? ""
    }

    private func typeText(_ type: TypeSyntax) -> String {
        var text = type.name.name
        if !type.arguments.isEmpty { text += "<" + type.arguments.map(typeText).joined(separator: ", ") + ">" }
        if type.isOptional { text += "?" }
        return text
    }

    /// Writes a clause: comments, a blank line if the author had one, the clause lines, the trailing comment.
    private func write<Kind>(
        _ clause: Clause<Kind>, indent: Int, into lines: inout [String], body: (Kind) -> [String]
    ) {
        let pad = String(repeating: " ", count: indent)
        if clause.trivia.blankLineBefore { lines.append("") }
        if !clause.trivia.detached.isEmpty { lines += clause.trivia.detached.map { pad + $0.text } + [""] }
        lines += clause.trivia.leading.map { pad + $0.text }
        lines += clause.trivia.interior.map { pad + $0.text }
        var clauseLines = body(clause.kind)
        if let unexpected = clause.unexpected { clauseLines[clauseLines.count - 1] += " " + unexpected.text }
        if let trailing = clause.trivia.trailing { clauseLines[clauseLines.count - 1] += "  " + trailing.text }
        // The first line gets the clause indentation; continuation lines already carry theirs.
        lines.append(pad + clauseLines[0])
        lines += clauseLines.dropFirst()
    }

    /// `prefix` followed by the expression, wrapped onto continuation lines indented `indent + 4`.
    private func expressionLines(_ prefix: String, _ expr: Expr, indent: Int) -> [String] {
        let segments = ExpressionPrinter.segments(expr, width: lineWidth - indent - prefix.count)
        let continuation = String(repeating: " ", count: indent + 4)
        return [prefix + segments[0]] + segments.dropFirst().map { continuation + $0 }
    }

    private func packClause(_ clause: PackClause) -> [String] {
        switch clause {
        case .title(let text): ["title " + ExpressionPrinter.quoted(text.value)]
        case .engine(let text): ["engine " + ExpressionPrinter.quoted(text.value)]
        case .currency(let code): ["currency " + code.name]
        }
    }

    private func measureClause(_ clause: MeasureClause) -> [String] {
        switch clause {
        case .include(let condition):
            expressionLines("include when ", condition, indent: 2)
        case .exclude(let reason, let condition):
            expressionLines("exclude" + title(reason) + " when ", condition, indent: 2)
        case .value(let name, let value):
            expressionLines("value \(name.name) = ", value, indent: 2)
        case .forEach(let name, let list):
            expressionLines("for each \(name.name) in ", list, indent: 2)
        }
    }

    private func contractClause(_ clause: ContractClause) -> [String] {
        switch clause {
        case .window(let period): return expressionLines("window = ", period, indent: 2)
        case .eligible(let condition): return expressionLines("eligible when ", condition, indent: 2)
        case .gate(let name, let condition): return expressionLines("gate \(name.name) = ", condition, indent: 2)
        case .event(let name, let value): return expressionLines("event \(name.name) = ", value, indent: 2)
        case .let(let name, let value): return expressionLines("let \(name.name) = ", value, indent: 2)
        case .payout(let condition, let amount):
            guard let condition else { return expressionLines("payout = ", amount, indent: 2) }
            let single = "payout when " + ExpressionPrinter.flat(condition) + " = " + ExpressionPrinter.flat(amount)
            if single.count + 2 <= lineWidth { return [single] }
            var lines = expressionLines("payout when ", condition, indent: 2)
            lines[lines.count - 1] += " ="
            return lines + expressionLines("", amount, indent: 4).enumerated().map { $0.offset == 0 ? "    " + $0.element : $0.element }
        }
    }

    private func rejectCode(_ code: RejectCode) -> String {
        let bytes = Array(code.text.utf8)
        let allDigits = !bytes.isEmpty && bytes.allSatisfy { $0 >= 48 && $0 <= 57 }
        let isName = !bytes.isEmpty && !(bytes[0] >= 48 && bytes[0] <= 57)
            && bytes.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 }
            && !ReservedWord.contains(code.text)
        return allDigits || isName ? code.text : ExpressionPrinter.quoted(code.text)
    }

    private func claimRuleClause(_ clause: ClaimRuleClause, indent: Int) -> [String] {
        switch clause {
        case .for(let source): expressionLines("for ", source, indent: indent)
        case .codes(let codes): expressionLines("codes ", codes, indent: indent)
        case .let(let name, let value): expressionLines("let \(name.name) = ", value, indent: indent)
        case .reject(let code, let message, let condition):
            expressionLines("reject " + rejectCode(code) + title(message) + " when ", condition, indent: indent)
        case .nextFill(let date): expressionLines("next fill ", date, indent: indent)
        }
    }

    private func testStatement(_ statement: TestStatement) -> String {
        switch statement {
        case .record(let kind, let values, let attributes):
            var parts = [kind.rawValue]
            parts += values.map(ExpressionPrinter.flat)
            for attribute in attributes { parts += [attribute.name.name, ExpressionPrinter.flat(attribute.value)] }
            return parts.joined(separator: " ")
        case .param(let name, let value):
            return "param \(name.name) = " + ExpressionPrinter.flat(value)
        case .expect(let subject, let on, let row, let expectation):
            var text = "expect " + ExpressionPrinter.flat(subject)
            if let on { text += " on " + ExpressionPrinter.flat(on) }
            if let row { text += " row " + ExpressionPrinter.flat(row) }
            switch expectation {
            case .equals(let value): text += " = " + ExpressionPrinter.flat(value)
            case .rejects(let code): text += " = reject " + rejectCode(code)
            case .excluded(let reason): text += " excluded" + title(reason)
            case .included: text += " included"
            }
            return text
        }
    }
}
