/// Prints expressions in canonical single-line form. Parentheses come only from `.parenthesized`
/// nodes: the tree came from the parser, so printing it in order re-parses to the same tree.
enum ExpressionPrinter {
    static func flat(_ expr: Expr) -> String {
        var output = ""
        write(expr, into: &output)
        return output
    }

    static func write(_ expr: Expr, into output: inout String) {
        switch expr.kind {
        case .name(let name): output += name
        case .integer(_, let text): output += text
        case .decimal(_, let text): output += text
        case .money(_, let currency, let text): output += text + " " + currency
        case .date(let day): output += day.description
        case .string(let value): output += quoted(value)
        case .boolean(let value): output += value ? "true" : "false"
        case .list(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += ", " }
                write(element, into: &output)
            }
            output += "]"
        case .parenthesized(let inner):
            output += "("
            write(inner, into: &output)
            output += ")"
        case .unary(let op, let operand, _):
            output += op == .not ? "not " : "-"
            write(operand, into: &output)
        case .binary(let op, let left, let right, _):
            write(left, into: &output)
            output += " " + op.rawValue + " "
            write(right, into: &output)
        case .filter(let source, let condition):
            write(source, into: &output)
            output += " where "
            write(condition, into: &output)
        case .conditional(let condition, let then, let otherwise):
            output += "if "
            write(condition, into: &output)
            output += " then "
            write(then, into: &output)
            output += " else "
            write(otherwise, into: &output)
        case .member(let base, let name):
            write(base, into: &output)
            output += "." + name.name
        case .call(let callee, let arguments):
            write(callee, into: &output)
            output += "("
            for (index, argument) in arguments.enumerated() {
                if index > 0 { output += ", " }
                if let label = argument.label { output += label.name + ": " }
                write(argument.value, into: &output)
            }
            output += ")"
        case .exists(let operand):
            write(operand, into: &output)
            output += " exists"
        case .isMissing(let operand):
            write(operand, into: &output)
            output += " is missing"
        case .duration(let count, let unit, _):
            write(count, into: &output)
            // `1 day`, `1 month`, `1 year`; plural otherwise.
            if case .integer(1, _) = count.kind {
                output += " " + unit.rawValue.dropLast()
            } else {
                output += " " + unit.rawValue
            }
        case .missing:
            break
        case .error(let text):
            output += text.text
        }
    }

    /// A string literal with `"` and `\` escaped.
    static func quoted(_ value: String) -> String {
        var result = "\""
        for character in value {
            if character == "\"" || character == "\\" { result.append("\\") }
            result.append(character)
        }
        return result + "\""
    }

    /// Lines for an expression that may be wrapped: the spine of a long expression is split before
    /// each top-level `where`, `or` and `and`, always in the same places, so the output is canonical.
    static func segments(_ expr: Expr, width: Int) -> [String] {
        let whole = flat(expr)
        guard whole.count > width else { return [whole] }
        switch expr.kind {
        case .filter(let source, let condition):
            let conditionSegments = segments(condition, width: width - 6)
            return segments(source, width: width) + ["where " + conditionSegments[0]] + conditionSegments.dropFirst()
        case .binary(let op, _, _, _) where op == .and || op == .or:
            var operands: [Expr] = []
            var spine = expr
            while case .binary(let spineOp, let left, let right, _) = spine.kind, spineOp == op {
                operands.append(right)
                spine = left
            }
            operands.append(spine)
            operands.reverse()
            return [flat(operands[0])] + operands.dropFirst().map { op.rawValue + " " + flat($0) }
        case .unary(.not, let operand, _):
            return prefixed("not ", segments(operand, width: width - 4))
        case .parenthesized(let inner):
            return suffixed(prefixed("(", segments(inner, width: width - 1)), ")")
        case .call(let callee, let arguments) where !arguments.isEmpty:
            let head = flat(callee) + "("
            let texts = arguments.map(argumentText)
            if let last = arguments.last {
                // A long last argument that wraps itself keeps the others on the first line.
                let label = last.label.map { $0.name + ": " } ?? ""
                let lastSegments = segments(last.value, width: width - head.count)
                if lastSegments.count > 1 {
                    let leading = texts.dropLast().map { $0 + ", " }.joined()
                    return suffixed(prefixed(head + leading + label, lastSegments), ")")
                }
            }
            // Otherwise one argument per line, except that no line may start with a word that could
            // be read as a clause keyword.
            var lines = [head + texts[0]]
            for text in texts.dropFirst() {
                lines[lines.count - 1] += ","
                if startsWithKeyword(text) {
                    lines[lines.count - 1] += " " + text
                } else {
                    lines.append(text)
                }
            }
            lines[lines.count - 1] += ")"
            return lines
        default:
            return [whole]
        }
    }

    private static func argumentText(_ argument: Argument) -> String {
        (argument.label.map { $0.name + ": " } ?? "") + flat(argument.value)
    }

    private static let clauseKeywords: Set<String> = [
        "title", "engine", "currency", "version", "include", "exclude", "value", "window", "eligible", "gate",
        "event", "payout", "let", "for", "codes", "reject", "next", "member", "enroll", "fill", "medical",
        "observation", "param", "expect",
    ]

    private static func startsWithKeyword(_ text: String) -> Bool {
        let word = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return clauseKeywords.contains(String(word)) || ReservedWord.declarations.contains(String(word))
    }

    private static func prefixed(_ prefix: String, _ lines: [String]) -> [String] {
        guard let first = lines.first else { return [prefix] }
        return [prefix + first] + lines.dropFirst()
    }

    private static func suffixed(_ lines: [String], _ suffix: String) -> [String] {
        var result = lines
        if result.isEmpty { return [suffix] }
        result[result.count - 1] += suffix
        return result
    }
}
