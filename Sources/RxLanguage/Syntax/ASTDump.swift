/// A compact S-expression of a tree's structure without ranges and trivia: two trees have the same
/// structure exactly when they mean the same thing, however they were laid out and commented.
enum StructureDump {
    static func file(_ syntax: FileSyntax) -> String {
        var output = ""
        for declaration in syntax.declarations {
            self.declaration(declaration, into: &output)
            output += "\n"
        }
        return output
    }

    static func declaration(_ declaration: Declaration, into output: inout String) {
        switch declaration.kind {
        case .pack(let pack):
            output += "(pack \(string(pack.name)) \(pack.version.map(string) ?? "-")"
            clauses(pack.clauses, into: &output) { clause, output in
                switch clause {
                case .title(let text): output += "(title \(string(text)))"
                case .engine(let text): output += "(engine \(string(text)))"
                case .currency(let code): output += "(currency \(code.name))"
                }
            }
        case .parameter(let parameter):
            output += "(parameter \(parameter.name.name) \(type(parameter.type)) "
            expr(parameter.defaultValue, into: &output)
        case .native(let native):
            output += "(native \(native.name.name) ("
            output += native.parameters.map { "\($0.name.name) \(type($0.type))" }.joined(separator: " ")
            output += ") \(type(native.result)) \(native.documentation.map(string) ?? "-")"
        case .valueSet(let valueSet):
            output += "(valueset \(valueSet.name.name) "
            switch valueSet.source {
            case .file(let path, let columns):
                output += "(file \(string(path)) (\(columns.map(\.name).joined(separator: " "))))"
            case .inline(let system, let codes):
                output += "(\(system.name) \(codes.map(string).joined(separator: " ")))"
            case .missing:
                output += "(missing)"
            }
            clauses(valueSet.clauses, into: &output) { clause, output in
                switch clause {
                case .version(let version): output += "(version \(string(version)))"
                }
            }
        case .define(let define):
            output += "(define \(define.name.name) \(define.type.map(type) ?? "-") "
            expr(define.value, into: &output)
        case .measure(let measure):
            output += "(measure \(measure.name.name) \(measure.title.map(string) ?? "-")"
            clauses(measure.clauses, into: &output) { clause, output in
                switch clause {
                case .include(let condition):
                    output += "(include "
                    expr(condition, into: &output)
                case .exclude(let reason, let condition):
                    output += "(exclude \(reason.map(string) ?? "-") "
                    expr(condition, into: &output)
                case .value(let name, let value):
                    output += "(value \(name.name) "
                    expr(value, into: &output)
                case .forEach(let name, let list):
                    output += "(for-each \(name.name) "
                    expr(list, into: &output)
                }
                output += ")"
            }
        case .contract(let contract):
            output += "(contract \(contract.name.name) \(contract.title.map(string) ?? "-")"
            clauses(contract.clauses, into: &output) { clause, output in
                switch clause {
                case .window(let period):
                    output += "(window "
                    expr(period, into: &output)
                case .eligible(let condition):
                    output += "(eligible "
                    expr(condition, into: &output)
                case .gate(let name, let condition):
                    output += "(gate \(name.name) "
                    expr(condition, into: &output)
                case .event(let name, let value):
                    output += "(event \(name.name) "
                    expr(value, into: &output)
                case .payout(let condition, let amount):
                    output += "(payout "
                    if let condition { expr(condition, into: &output) } else { output += "-" }
                    output += " "
                    expr(amount, into: &output)
                case .let(let name, let value):
                    output += "(let \(name.name) "
                    expr(value, into: &output)
                }
                output += ")"
            }
        case .claimRule(let rule):
            output += "(claim-rule \(rule.name.name) \(rule.title.map(string) ?? "-")"
            clauses(rule.clauses, into: &output) { clause, output in
                switch clause {
                case .for(let source):
                    output += "(for "
                    expr(source, into: &output)
                case .codes(let codes):
                    output += "(codes "
                    expr(codes, into: &output)
                case .let(let name, let value):
                    output += "(let \(name.name) "
                    expr(value, into: &output)
                case .reject(let code, let message, let condition):
                    output += "(reject \(code.text) \(message.map(string) ?? "-") "
                    expr(condition, into: &output)
                case .nextFill(let date):
                    output += "(next-fill "
                    expr(date, into: &output)
                }
                output += ")"
            }
        case .test(let test):
            output += "(test \(string(test.name))"
            clauses(test.statements, into: &output) { statement, output in
                switch statement {
                case .record(let kind, let values, let attributes):
                    output += "(\(kind.rawValue)"
                    for value in values {
                        output += " "
                        expr(value, into: &output)
                    }
                    for attribute in attributes {
                        output += " (\(attribute.name.name) "
                        expr(attribute.value, into: &output)
                        output += ")"
                    }
                case .param(let name, let value):
                    output += "(param \(name.name) "
                    expr(value, into: &output)
                case .expect(let subject, let on, let row, let expectation):
                    output += "(expect "
                    expr(subject, into: &output)
                    output += " "
                    if let on { expr(on, into: &output) } else { output += "-" }
                    if let row {
                        output += " (row "
                        expr(row, into: &output)
                        output += ")"
                    }
                    switch expectation {
                    case .equals(let value):
                        output += " (= "
                        expr(value, into: &output)
                        output += ")"
                    case .rejects(let code): output += " (reject \(code.text))"
                    case .excluded(let reason): output += " (excluded \(reason.map(string) ?? "-"))"
                    case .included: output += " (included)"
                    }
                }
                output += ")"
            }
        case .unexpected(let text):
            output += "(unexpected \(ExpressionPrinter.quoted(text.text))"
        }
        if let unexpected = declaration.unexpected { output += " (unexpected \(ExpressionPrinter.quoted(unexpected.text)))" }
        output += ")"
    }

    private static func clauses<Kind>(
        _ clauses: [Clause<Kind>], into output: inout String, _ body: (Kind, inout String) -> Void
    ) {
        for clause in clauses {
            output += " "
            body(clause.kind, &output)
            if let unexpected = clause.unexpected { output += "(unexpected \(ExpressionPrinter.quoted(unexpected.text)))" }
        }
    }

    private static func string(_ literal: StringLiteral) -> String { ExpressionPrinter.quoted(literal.value) }

    private static func type(_ type: TypeSyntax) -> String {
        var text = type.name.name
        if !type.arguments.isEmpty { text += "<" + type.arguments.map(self.type).joined(separator: ",") + ">" }
        return type.isOptional ? text + "?" : text
    }

    static func expr(_ expr: Expr, into output: inout String) {
        switch expr.kind {
        case .name(let name): output += name
        case .integer(let value, let text): output += "(int \(value) \(text))"
        case .decimal(let value, let text): output += "(dec \(value) \(text))"
        case .money(let value, let currency, _): output += "(money \(value) \(currency))"
        case .date(let day): output += "(date \(day))"
        case .string(let value): output += ExpressionPrinter.quoted(value)
        case .boolean(let value): output += value ? "true" : "false"
        case .list(let elements):
            output += "(list"
            for element in elements {
                output += " "
                self.expr(element, into: &output)
            }
            output += ")"
        case .parenthesized(let inner):
            output += "(paren "
            self.expr(inner, into: &output)
            output += ")"
        case .unary(let op, let operand, _):
            output += "(\(op.rawValue) "
            self.expr(operand, into: &output)
            output += ")"
        case .binary(let op, let left, let right, _):
            output += "(\(op.rawValue) "
            self.expr(left, into: &output)
            output += " "
            self.expr(right, into: &output)
            output += ")"
        case .filter(let source, let condition):
            output += "(where "
            self.expr(source, into: &output)
            output += " "
            self.expr(condition, into: &output)
            output += ")"
        case .conditional(let condition, let then, let otherwise):
            output += "(if "
            self.expr(condition, into: &output)
            output += " "
            self.expr(then, into: &output)
            output += " "
            self.expr(otherwise, into: &output)
            output += ")"
        case .member(let base, let name):
            output += "(. "
            self.expr(base, into: &output)
            output += " \(name.name))"
        case .call(let callee, let arguments):
            output += "(call "
            self.expr(callee, into: &output)
            for argument in arguments {
                output += " "
                if let label = argument.label { output += label.name + ":" }
                self.expr(argument.value, into: &output)
            }
            output += ")"
        case .exists(let operand):
            output += "(exists "
            self.expr(operand, into: &output)
            output += ")"
        case .isMissing(let operand):
            output += "(is-missing "
            self.expr(operand, into: &output)
            output += ")"
        case .duration(let count, let unit, _):
            output += "(\(unit.rawValue) "
            self.expr(count, into: &output)
            output += ")"
        case .missing:
            output += "(missing)"
        case .error(let text):
            output += "(error \(ExpressionPrinter.quoted(text.text)))"
        }
    }
}

extension FileSyntax {
    /// The tree's structure as an S-expression, without ranges and trivia (for tests and debugging).
    public var structure: String { StructureDump.file(self) }

    /// Equality that ignores source ranges, comments and blank lines.
    public func structurallyEquals(_ other: FileSyntax) -> Bool { structure == other.structure }
}

extension Expr {
    /// The expression's structure as an S-expression, without ranges.
    public var structure: String {
        var output = ""
        StructureDump.expr(self, into: &output)
        return output
    }

    /// Equality that ignores source ranges.
    public func structurallyEquals(_ other: Expr) -> Bool { structure == other.structure }
}
