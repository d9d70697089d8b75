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
            output += " " + unit.rawValue
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
        default:
            return [whole]
        }
    }
}
