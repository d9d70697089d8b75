extension Checker {
    /// Types `expr`, records the type, and reports every problem inside it.
    ///
    /// `expected` guides what context can decide and syntax cannot: bare enum members
    /// (`setting = inpatient`), integer literals as `Days` or `Decimal`, and empty lists.
    /// The result is what the expression is; the caller compares it with what it needs.
    mutating func check(_ expr: Expr, expected: RuleType?) -> RuleType {
        let type = infer(expr, expected: expected)
        pack.expressionTypes[expr.range] = type
        return type
    }

    /// Checks a condition: it must be `Bool`; a `Bool?` gets the no-three-valued-logic hint.
    mutating func checkCondition(_ expr: Expr) {
        let type = check(expr, expected: .bool)
        requireCondition(type, at: expr.range)
    }

    mutating func requireCondition(_ type: RuleType, at range: SourceRange) {
        if type == .bool || type.containsError { return }
        if type == .optional(.bool) {
            report(.optionalCondition(type), at: range, hint: "use '?? false' or 'exists' to say what a missing value means")
        } else {
            report(.typeMismatch(expected: "Bool", found: type), at: range)
        }
    }

    /// Reports when `found` does not fit `expected`; returns whether it fits.
    @discardableResult
    mutating func require(_ expected: RuleType, _ found: RuleType, at range: SourceRange, hint: String? = nil) -> Bool {
        if expected.accepts(found) { return true }
        var hint = hint
        if hint == nil, expected == .money, found == .decimal || found == .int {
            hint = "write an amount with its currency, like 5000.00 \(pack.currency ?? "USD")"
        } else if hint == nil, found.isOptional, expected.accepts(found.unwrapped) {
            hint = "the value may be missing: add '?? default'"
        }
        report(.typeMismatch(expected: expected.description, found: found), at: range, hint: hint)
        return false
    }

    private mutating func infer(_ expr: Expr, expected: RuleType?) -> RuleType {
        switch expr.kind {
        case .missing, .error:
            return .error
        case .integer:
            // An integer literal takes the numeric type the context expects.
            switch expected?.unwrapped {
            case .days?: return .days
            case .decimal?: return .decimal
            case .months?: return .months
            default: return .int
            }
        case .decimal:
            return .decimal
        case .money(_, let currency, _):
            if let packCurrency = pack.currency {
                if currency != packCurrency {
                    report(.currencyMismatch(found: currency, expected: packCurrency), at: expr.range)
                }
            } else {
                report(.currencyUndeclared(currency), at: expr.range, hint: "declare it in the pack header: currency \(currency)")
            }
            return .money
        case .date:
            return .date
        case .string:
            return expected?.unwrapped == .code ? .code : .string
        case .boolean:
            return .bool
        case .parenthesized(let inner):
            return check(inner, expected: expected)
        case .name(let name):
            return resolveName(name, at: expr.range, expected: expected)
        case .list(let items):
            return checkList(items, expected: expected)
        case .unary(let op, let operand, _):
            switch op {
            case .not:
                checkCondition(operand)
                return .bool
            case .negate:
                let type = check(operand, expected: expected)
                switch type.unwrapped {
                case .int, .decimal, .money, .days, .months, .error: return type
                default:
                    report(.unaryMismatch("-", type), at: expr.range)
                    return .error
                }
            }
        case .binary(let op, let lhs, let rhs, let operatorRange):
            return checkBinary(op, lhs, rhs, operatorRange: operatorRange, whole: expr.range)
        case .filter(let list, let condition):
            let listType = check(list, expected: expected)
            guard let element = listType.unwrapped.listElement else {
                if !listType.containsError { report(.filterNeedsList(listType), at: list.range) }
                context.scopes.append(Scope(element: .error))
                checkCondition(condition)
                context.scopes.removeLast()
                return .error
            }
            context.scopes.append(Scope(element: element))
            checkCondition(condition)
            context.scopes.removeLast()
            return listType
        case .conditional(let condition, let then, let otherwise):
            checkCondition(condition)
            let a = check(then, expected: expected)
            let b = check(otherwise, expected: expected ?? (a == .list(.nothing) ? nil : a))
            if let joined = TypeRules.join(a, b) { return joined }
            report(.branchMismatch(a, b), at: otherwise.range, notes: [DiagnosticNote("the other branch is '\(a)' here", at: then.range)])
            return .error
        case .member(let base, let field):
            if case .enumeration(.drugKey)? = expected, case .name(let setName) = base.kind, lookup(setName) == nil,
               globals[setName]?.kind == .valueSet {
                // `drug: statins.ingredient`: the same-drug key read from one value set's column.
                used.insert(setName)
                pack.resolutions[base.range] = .valueSet(setName)
                guard pack.valueSets[setName]?.columns[field.name] != nil else {
                    report(.unknownColumn(field.name, valueSet: setName), at: field.range,
                           hint: didYouMean(field.name, among: pack.valueSets[setName]?.columns.keys.sorted() ?? []))
                    return .error
                }
                pack.resolutions[expr.range] = .column(valueSet: setName, column: field.name)
                return .enumeration(.drugKey)
            }
            return checkMember(base, field, whole: expr.range)
        case .call(let callee, let arguments):
            return checkCall(callee, arguments, whole: expr.range, expected: expected)
        case .exists(let inner), .isMissing(let inner):
            let type = check(inner, expected: nil)
            if !type.isOptional, !type.containsError {
                report(.neverMissing(type), at: inner.range)
            }
            return .bool
        case .duration(let count, let unit, _):
            let type = check(count, expected: .int)
            let result: RuleType = unit == .days ? .days : .months
            switch type {
            case .int: return result
            case .optional(.int): return result.optional
            case .error: return .error
            default:
                report(.durationNeedsInt(type), at: count.range,
                       hint: type.unwrapped == .decimal ? "round it first with ceil(...) or floor(...)" : nil)
                return .error
            }
        }
    }

    private mutating func checkList(_ items: [Expr], expected: RuleType?) -> RuleType {
        let expectedElement = expected?.unwrapped.listElement
        guard !items.isEmpty else {
            if let expectedElement, expectedElement != .nothing { return .list(expectedElement) }
            return .list(.nothing)
        }
        var element: RuleType?
        for item in items {
            let type = check(item, expected: expectedElement ?? element)
            guard let current = element else {
                element = type
                continue
            }
            if let joined = TypeRules.join(current, type) {
                element = joined
            } else {
                report(.listElementMismatch(current, type), at: item.range)
                element = .error
            }
        }
        return .list(element ?? .nothing)
    }

    // MARK: Names

    /// Whether `expr` is a bare name nothing in scope defines (so it may be an enum member).
    func isFreeName(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .name(let name): return lookup(name) == nil
        case .list(let items): return !items.isEmpty && items.allSatisfy(isFreeName)
        case .parenthesized(let inner): return isFreeName(inner)
        default: return false
        }
    }

    /// The local binding of `name`: filter elements and block names, innermost first.
    func lookup(_ name: String) -> Local? {
        for scope in context.scopes.reversed() {
            if let local = scope.locals[name] { return local }
            if let element = scope.element {
                if name == "it" { return Local(type: element, resolution: .element) }
                if case .record(let kind) = element, let field = RecordSchema.field(name, of: kind) {
                    return Local(type: field.type, resolution: .elementField(name))
                }
                if element == .period, let field = RecordSchema.periodFields.first(where: { $0.name == name }) {
                    return Local(type: field.type, resolution: .elementField(name))
                }
            }
        }
        if context.inClaimRule {
            if name == "this" { return Local(type: .record(.fill), resolution: .claimContext("this")) }
            if name == "history" { return Local(type: .list(.record(.fill)), resolution: .claimContext("history")) }
        }
        if globals[name] != nil { return nil }
        if let root = RecordSchema.roots.first(where: { $0.name == name }) {
            return Local(type: root.type, resolution: .root(name))
        }
        return nil
    }

    mutating func resolveName(_ name: String, at range: SourceRange, expected: RuleType?) -> RuleType {
        if case .enumeration(let kind)? = expected?.unwrapped {
            if kind.members.contains(name) || (kind == .drugKey && columnOwners[name] != nil) {
                pack.resolutions[range] = .enumMember(kind, name)
                if kind == .drugKey { for owner in columnOwners[name] ?? [] { used.insert(owner) } }
                return .enumeration(kind)
            }
        }
        if let local = lookup(name) {
            if case .elementField = local.resolution, globals[name] != nil, warnedRanges.insert(range).inserted {
                report(.shadowing(name, by: "field"), at: range)
            }
            pack.resolutions[range] = local.resolution
            return local.type
        }
        if let global = globals[name] {
            used.insert(name)
            switch global.kind {
            case .parameter:
                pack.resolutions[range] = .parameter(name)
                return pack.parameters[name]?.type ?? .error
            case .valueSet:
                pack.resolutions[range] = .valueSet(name)
                return .valueSet
            case .define:
                pack.resolutions[range] = .define(name)
                if let current = context.currentNode { defineEdges[current, default: []].append(name) }
                return typeOfDefine(name)
            case .measure, .contract, .claimRule:
                report(.notAValue(name, kind: global.kind.rawValue), at: range,
                       hint: global.kind == .claimRule ? nil : "read one of its outputs, like \(name).\(outputNames(of: name).first ?? "value")")
                return .error
            }
        }
        if name == "it" {
            report(.itOutsideFilter, at: range)
            return .error
        }
        if name == "this" || name == "history" {
            report(.outsideClaimRule(name), at: range)
            return .error
        }
        if case .enumeration(let kind)? = expected?.unwrapped {
            report(.unknownEnumMember(name, of: kind), at: range,
                   hint: didYouMean(name, among: kind.members + (kind == .drugKey ? columnOwners.keys.sorted() : [])))
            return .error
        }
        var hint = didYouMean(name, among: visibleNames())
        if BuiltinCatalogue.function(named: name) != nil {
            hint = "'\(name)' is a function: call it, \(name)(...)"
        } else if columnOwners[name] != nil {
            hint = "a value-set column is read with a code: \(name)(ndc)"
        }
        report(.unknownName(name), at: range, hint: hint)
        return .error
    }

    /// Every name an expression here could use, for did-you-mean.
    func visibleNames() -> [String] {
        var names: [String] = []
        for scope in context.scopes.reversed() {
            names += scope.locals.keys.sorted()
            if case .record(let kind)? = scope.element { names += RecordSchema.fields(of: kind).map(\.name) }
            if scope.element != nil { names.append("it") }
        }
        if context.inClaimRule { names += ["this", "history"] }
        names += globals.keys.sorted()
        names += RecordSchema.roots.map(\.name)
        return names
    }

    func outputNames(of block: String) -> [String] {
        (pack.outputs[block] ?? [:]).keys.sorted()
    }

    // MARK: Operators

    private mutating func checkBinary(
        _ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, operatorRange: SourceRange, whole: SourceRange
    ) -> RuleType {
        switch op {
        case .and, .or:
            checkCondition(lhs)
            checkCondition(rhs)
            return .bool
        case .defaulting:
            let left = check(lhs, expected: nil)
            let right = check(rhs, expected: left.unwrapped == .nothing ? nil : left.unwrapped)
            if left.containsError || right.containsError { return .error }
            guard let joined = TypeRules.join(left.unwrapped, right) else {
                // `a in b ?? false` reads as `a in (b ?? false)`: `??` binds tighter than comparisons.
                let precedenceHint = right == .bool && left != .bool && left != .optional(.bool)
                    ? "'??' binds tighter than comparisons: write (a = b) ?? false or (a in b) ?? false" : nil
                report(.operatorMismatch("??", left, right), at: operatorRange,
                       notes: [DiagnosticNote("left side is '\(left)'", at: lhs.range)], hint: precedenceHint)
                return .error
            }
            if !left.isOptional {
                report(.neverMissing(left), at: lhs.range)
            }
            return right.isOptional ? joined.optional : joined.unwrapped
        case .in, .notIn:
            let element: RuleType, collection: RuleType
            if isFreeName(lhs) && !isFreeName(rhs) {
                collection = check(rhs, expected: nil)
                element = check(lhs, expected: collection.unwrapped.listElement)
            } else {
                element = check(lhs, expected: nil)
                collection = check(rhs, expected: element.unwrapped == .error ? nil : .list(element.unwrapped))
            }
            if let result = TypeRules.membership(element, collection) { return result }
            report(.membershipMismatch(element, collection), at: operatorRange)
            return .error
        default:
            let kind = OperatorKind(rawValue: op.rawValue) ?? .equal
            let left: RuleType, right: RuleType
            if isFreeName(lhs) && !isFreeName(rhs) {
                right = check(rhs, expected: nil)
                left = check(lhs, expected: right.unwrapped)
            } else {
                left = check(lhs, expected: nil)
                let hint: RuleType? = Checker.isIntegerLiteral(rhs) || isFreeName(rhs) || Checker.isEmptyList(rhs)
                    ? left.unwrapped : nil
                right = check(rhs, expected: hint)
            }
            var (a, b) = (left, right)
            // An integer literal takes the day-count type of the other side: `days(t) >= 91`.
            if Checker.isIntegerLiteral(lhs), b.unwrapped == .days { a = .days; pack.expressionTypes[lhs.range] = .days }
            if Checker.isIntegerLiteral(rhs), a.unwrapped == .days { b = .days; pack.expressionTypes[rhs.range] = .days }
            if let result = TypeRules.binary(kind, a, b) { return result }
            var hint: String?
            if (a.unwrapped == .money) != (b.unwrapped == .money), a.unwrapped == .decimal || b.unwrapped == .decimal
                || Checker.isDecimalLiteral(lhs) || Checker.isDecimalLiteral(rhs) {
                hint = "write amounts with their currency, like 5000.00 \(pack.currency ?? "USD")"
            } else if a.unwrapped == .date, b.unwrapped == .int {
                hint = "add a duration: \(op.rawValue) 30 days"
            } else if Set([a.unwrapped, b.unwrapped]) == [.days, .int] {
                hint = "a whole number is not a day count: write (n) days, or declare it as Days"
            }
            report(.operatorMismatch(op.rawValue, a, b), at: operatorRange,
                   notes: [DiagnosticNote("left side is '\(a)'", at: lhs.range),
                           DiagnosticNote("right side is '\(b)'", at: rhs.range)],
                   hint: hint)
            return .error
        }
    }

    static func isIntegerLiteral(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .integer: true
        case .parenthesized(let inner), .unary(.negate, let inner, _): isIntegerLiteral(inner)
        default: false
        }
    }

    static func isDecimalLiteral(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .decimal: true
        case .parenthesized(let inner), .unary(.negate, let inner, _): isDecimalLiteral(inner)
        default: false
        }
    }

    static func isEmptyList(_ expr: Expr) -> Bool {
        if case .list(let items) = expr.kind { return items.isEmpty }
        return false
    }

    // MARK: Fields

    private mutating func checkMember(_ base: Expr, _ field: Identifier, whole: SourceRange) -> RuleType {
        guard !field.isMissing else {
            _ = check(base, expected: nil)
            return .error
        }
        // `measure.value` and `contract.payout` read a block's outputs.
        if case .name(let name) = base.kind, lookup(name) == nil, let global = globals[name],
           global.kind == .measure || global.kind == .contract {
            used.insert(name)
            if let current = context.currentNode { defineEdges[current, default: []].append(name) }
            ensureBlock(name, index: global.index)
            pack.resolutions[base.range] = .output(block: name, name: field.name)
            guard let type = pack.outputs[name]?[field.name] else {
                if blockStates[name] == .done {
                    report(.unknownOutput(field.name, of: name, kind: global.kind.rawValue),
                           at: field.range, hint: didYouMean(field.name, among: outputNames(of: name)))
                }
                return .error
            }
            return type
        }
        let baseType = check(base, expected: nil)
        return fieldType(of: baseType, field, whole: whole)
    }

    /// The type of `field` on a value of `type`, lifting over optionals and projecting over lists.
    mutating func fieldType(of type: RuleType, _ field: Identifier, whole: SourceRange) -> RuleType {
        switch type {
        case .error: return .error
        case .optional(let wrapped):
            let inner = fieldType(of: wrapped, field, whole: whole)
            return inner.optional
        case .list(let element):
            if element == .nothing { return .list(.nothing) }
            let inner = fieldType(of: element, field, whole: whole)
            return inner.containsError ? .error : .list(inner)
        case .record(let kind):
            if let found = RecordSchema.field(field.name, of: kind) { return found.type }
            var hint = didYouMean(field.name, among: RecordSchema.fields(of: kind).map(\.name))
            if columnOwners[field.name] != nil, kind == .fill {
                hint = "value-set columns are lookups: \(field.name)(ndc)"
            }
            report(.unknownField(field.name, of: type), at: field.range, hint: hint)
            return .error
        case .period:
            if let found = RecordSchema.periodFields.first(where: { $0.name == field.name }) { return found.type }
            report(.unknownField(field.name, of: type), at: field.range,
                   hint: didYouMean(field.name, among: RecordSchema.periodFields.map(\.name)))
            return .error
        default:
            report(.unknownField(field.name, of: type), at: field.range)
            return .error
        }
    }
}

