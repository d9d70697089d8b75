extension Checker {
    /// Types a call: a builtin from the catalogue, or a value-set column read as a function.
    mutating func checkCall(_ callee: Expr, _ arguments: [Argument], whole: SourceRange, expected: RuleType?) -> RuleType {
        switch callee.kind {
        case .name(let name) where lookup(name) == nil:
            if let function = BuiltinCatalogue.function(named: name), globals[name] == nil {
                return checkBuiltin(function, arguments, calleeRange: callee.range, whole: whole)
            }
            if globals[name]?.kind == .native, let signature = pack.nativeFunctions[name] {
                used.insert(name)
                pack.resolutions[whole] = .native(name)
                return checkNativeCall(name, signature, arguments, whole: whole)
            }
            if globals[name] == nil, columnOwners[name] != nil {
                for owner in columnOwners[name] ?? [] { used.insert(owner) }
                pack.resolutions[whole] = .column(valueSet: nil, column: name)
                return checkColumnLookup(name, arguments, whole: whole)
            }
            if let global = globals[name] {
                used.insert(name)
                report(.notCallable("\(global.kind.rawValue) '\(name)'"), at: callee.range)
            } else {
                let candidates = BuiltinCatalogue.functions.map(\.name) + columnOwners.keys.sorted()
                report(.unknownFunction(name), at: callee.range, hint: didYouMean(name, among: candidates))
            }
        case .member(let base, let column):
            if case .name(let setName) = base.kind, lookup(setName) == nil, globals[setName]?.kind == .valueSet {
                used.insert(setName)
                pack.resolutions[base.range] = .valueSet(setName)
                if pack.valueSets[setName]?.columns[column.name] != nil {
                    pack.resolutions[whole] = .column(valueSet: setName, column: column.name)
                    return checkColumnLookup(column.name, arguments, whole: whole)
                }
                report(.unknownColumn(column.name, valueSet: setName), at: column.range,
                       hint: didYouMean(column.name, among: (pack.valueSets[setName]?.columns.keys.sorted()) ?? []))
            } else {
                let type = check(callee, expected: nil)
                if !type.containsError { report(.notCallable("a value of type '\(type)'"), at: callee.range) }
            }
        default:
            let type = check(callee, expected: nil)
            if !type.containsError { report(.notCallable("a value of type '\(type)'"), at: callee.range) }
        }
        for argument in arguments { _ = check(argument.value, expected: nil) }
        return .error
    }

    /// A call of a native function: arguments in declared order, positional or labelled by name.
    private mutating func checkNativeCall(
        _ name: String, _ signature: NativeSignature, _ arguments: [Argument], whole: SourceRange
    ) -> RuleType {
        guard arguments.count == signature.parameters.count else {
            report(.wrongArgumentCount(name, expected: signature.parameters.count, found: arguments.count), at: whole)
            for argument in arguments { _ = check(argument.value, expected: nil) }
            return .error
        }
        var failed = false
        for (argument, parameter) in zip(arguments, signature.parameters) {
            if let label = argument.label, label.name != parameter.name {
                report(.unknownArgumentLabel(label.name, function: name), at: label.range)
                failed = true
            }
            let type = check(argument.value, expected: parameter.type)
            if !type.containsError, !parameter.type.accepts(type) {
                report(.typeMismatch(expected: parameter.type.description, found: type), at: argument.value.range,
                       hint: type.isOptional && parameter.type.accepts(type.unwrapped)
                           ? "the value may be missing: add '?? default'" : nil)
                failed = true
            }
        }
        return failed ? .error : signature.result
    }

    /// Reads the `native` declarations: only plain scalar types cross the C boundary.
    mutating func checkNatives() {
        for declaration in declarations {
            guard case .native(let native) = declaration.kind, !native.name.isMissing,
                  pack.nativeFunctions[native.name.name] == nil
            else { continue }
            func scalar(_ syntax: TypeSyntax) -> RuleType {
                let type = resolveType(syntax)
                guard NativeSignature.allowedTypes.contains(type) || type.containsError else {
                    report(.nativeType(type), at: syntax.range)
                    return .error
                }
                return type
            }
            let parameters = native.parameters.map { NativeSignature.Parameter(name: $0.name.name, type: scalar($0.type)) }
            pack.nativeFunctions[native.name.name] = NativeSignature(
                name: native.name.name, parameters: parameters, result: scalar(native.result),
                documentation: native.documentation?.value ?? "")
        }
    }

    /// `ingredient(ndc)`: one code in, the column's text out (missing when the code is not listed).
    private mutating func checkColumnLookup(_ column: String, _ arguments: [Argument], whole: SourceRange) -> RuleType {
        let positional = arguments.filter { $0.label == nil }
        for argument in arguments where argument.label != nil {
            report(.unknownArgumentLabel(argument.label?.name ?? "", function: column), at: argument.range)
        }
        guard positional.count == 1 else {
            report(.wrongArgumentCount(column, expected: 1, found: positional.count), at: whole)
            for argument in positional { _ = check(argument.value, expected: nil) }
            return .error
        }
        let type = check(positional[0].value, expected: .code)
        switch type.unwrapped {
        case .code, .string, .error: return .optional(.string)
        default:
            report(.typeMismatch(expected: "Code", found: type), at: positional[0].value.range)
            return .error
        }
    }

    /// Picks the catalogue overload that fits the arguments and types them against it.
    private mutating func checkBuiltin(
        _ function: BuiltinFunction, _ arguments: [Argument], calleeRange: SourceRange, whole: SourceRange
    ) -> RuleType {
        let positional = arguments.filter { $0.label == nil }
        let named = arguments.filter { $0.label != nil }
        var labels = Set<String>()
        for argument in named {
            if let label = argument.label, !labels.insert(label.name).inserted {
                report(.duplicateArgument(label.name), at: label.range)
            }
        }
        let elementHasPeriod: Bool = {
            guard case .record(let kind)? = context.scopes.last(where: { $0.element != nil })?.element else { return false }
            return RecordSchema.field("period", of: kind) != nil
        }()
        func fits(_ signature: BuiltinSignature) -> Bool {
            if signature.elementPeriodImplicit && !elementHasPeriod { return false }
            let slots = signature.parameters.filter { !$0.isNamed }
            let required = slots.filter(\.isRequired).count
            let namedLabels = Set(signature.parameters.filter(\.isNamed).map(\.name))
            return (required...slots.count).contains(positional.count) && labels.isSubset(of: namedLabels)
        }
        var candidates = function.signatures.indices.filter { fits(function.signatures[$0]) }
        var argumentTypes: [Int: RuleType] = [:]
        if candidates.count > 1, let first = positional.first {
            let type = check(first.value, expected: nil)
            argumentTypes[0] = type
            var satisfied: [Int] = []
            candidates = candidates.filter { index in
                guard let pattern = function.signatures[index].parameters.first(where: { !$0.isNamed })?.type else { return false }
                var binding: RuleType?
                var lifted = false
                guard Checker.match(pattern, type, &binding, &lifted, topLevel: true) else { return false }
                if binding.map({ TypeRules.satisfies($0, function.signatures[index].constraint) }) ?? true { satisfied.append(index) }
                return true
            }
            // Prefer a signature whose type variable fits its constraint (`sum` of may-be-missing
            // amounts); when none does, the first match reports the mismatch.
            if !satisfied.isEmpty { candidates = satisfied }
        }
        guard let chosen = candidates.first else {
            diagnoseNoFit(function, positional: positional, named: named, elementHasPeriod: elementHasPeriod,
                          argumentTypes: argumentTypes, calleeRange: calleeRange, whole: whole)
            return .error
        }
        let signature = function.signatures[chosen]
        pack.resolutions[whole] = .builtin(function.name, signature: chosen)
        var binding: RuleType?
        var lifted = false
        var failed = false
        var sawError = false
        var bindingRange: SourceRange?
        let slots = signature.parameters.filter { !$0.isNamed }
        var pairs: [(BuiltinParameter, Argument, Int?)] = []
        for (index, argument) in positional.enumerated() { pairs.append((slots[index], argument, index)) }
        for argument in named {
            if let parameter = signature.parameters.first(where: { $0.isNamed && $0.name == argument.label?.name }) {
                pairs.append((parameter, argument, nil))
            }
        }
        for (parameter, argument, index) in pairs {
            let hint = Checker.instantiate(parameter.type, binding)
            let type = index.flatMap { argumentTypes[$0] } ?? check(argument.value, expected: hint)
            let before = binding
            if type.containsError { sawError = true }
            if !Checker.match(parameter.type, type, &binding, &lifted, topLevel: true) {
                failed = true
                let expected = Checker.instantiate(parameter.type, binding)?.description ?? parameter.type.description
                report(.typeMismatch(expected: expected, found: type), at: argument.value.range,
                       hint: type.isOptional && hint.map({ $0.accepts(type.unwrapped) }) == true
                           ? "the value may be missing: add '?? default'" : nil)
            }
            if before == nil, binding != nil { bindingRange = argument.value.range }
        }
        for parameter in signature.parameters where parameter.isRequired && parameter.isNamed && !labels.contains(parameter.name) {
            report(.missingArgument(parameter.name, function: function.name), at: whole)
            failed = true
        }
        if let bound = binding, !TypeRules.satisfies(bound, signature.constraint) {
            report(.typeMismatch(expected: Checker.describe(signature.constraint), found: bound), at: bindingRange ?? whole)
            failed = true
        }
        if ["cma", "cma_per_episode", "cma_sliding_windows"].contains(function.name), let first = positional.first {
            if case .integer(let n, _) = first.value.kind, (1...9).contains(n) {
            } else {
                report(.cmaNumber(sourceText(first.value.range), function: function.name), at: first.value.range)
                failed = true
            }
        }
        if failed || sawError { return .error }
        guard let result = Checker.instantiate(signature.result, binding) else {
            report(.untypedEmptyList(), at: whole)
            return .error
        }
        return lifted ? result.optional : result
    }

    /// The source text of a range, for quoting in messages.
    func sourceText(_ range: SourceRange) -> String {
        sources.first { $0.id == range.file }?.text(range) ?? ""
    }

    private mutating func diagnoseNoFit(
        _ function: BuiltinFunction, positional: [Argument], named: [Argument], elementHasPeriod: Bool,
        argumentTypes: [Int: RuleType], calleeRange: SourceRange, whole: SourceRange
    ) {
        var types: [RuleType] = []
        for (index, argument) in positional.enumerated() {
            types.append(argumentTypes[index] ?? check(argument.value, expected: nil))
        }
        for argument in named { _ = check(argument.value, expected: nil) }
        if types.contains(where: \.containsError) { return }
        let forms = function.signatures.filter { !$0.elementPeriodImplicit || elementHasPeriod }
        if function.signatures.contains(where: \.elementPeriodImplicit), !elementHasPeriod, positional.count == 1, named.isEmpty {
            report(.elementPeriodOutsideFilter, at: whole, hint: "write \(function.name)(period, other_period)")
            return
        }
        if forms.count == 1, let only = forms.first {
            let slots = only.parameters.filter { !$0.isNamed }
            let required = slots.filter(\.isRequired).count
            if !(required...slots.count).contains(positional.count) {
                report(.wrongArgumentCount(function.name, expected: positional.count < required ? required : slots.count,
                                           found: positional.count),
                       at: whole, hint: "the form is \(only.rendered(name: function.name))")
                return
            }
            let knownLabels = only.parameters.filter(\.isNamed).map(\.name)
            for argument in named {
                guard let label = argument.label, !knownLabels.contains(label.name) else { continue }
                report(.unknownArgumentLabel(label.name, function: function.name), at: label.range,
                       hint: didYouMean(label.name, among: knownLabels) ?? "the form is \(only.rendered(name: function.name))")
            }
            return
        }
        let found = types.map(\.description) + named.compactMap { $0.label.map { "\($0.name):" } }
        report(.noMatchingSignature(function.name, found: found.joined(separator: ", ")), at: calleeRange,
               hint: "the forms are " + forms.map { $0.rendered(name: function.name) }.joined(separator: " and "))
    }

    static func describe(_ constraint: TypeConstraint) -> String {
        switch constraint {
        case .any: "any type"
        case .orderable: "a number, amount, date, day count or text"
        case .summable: "Int, Decimal, Money or Days"
        case .number: "Int or Decimal"
        case .roundable: "Decimal or Money"
        }
    }

    /// Matches an argument type against a parameter pattern, binding `T` and noting optional lifting.
    static func match(
        _ pattern: TypePattern, _ type: RuleType, _ binding: inout RuleType?, _ lifted: inout Bool, topLevel: Bool
    ) -> Bool {
        if type.containsError { return true }
        switch pattern {
        case .exact(let expected):
            if expected.accepts(type) { return true }
            if topLevel, !expected.isOptional, type.isOptional, expected.accepts(type.unwrapped) {
                lifted = true
                return true
            }
            return false
        case .variable:
            var type = type
            if topLevel, type.isOptional {
                type = type.unwrapped
                lifted = true
            }
            guard let bound = binding, bound != .nothing else {
                binding = type
                return true
            }
            if bound.accepts(type) { return true }
            if type.accepts(bound) {
                binding = type
                return true
            }
            return false
        case .list(let element):
            var type = type
            if topLevel, type.isOptional {
                type = type.unwrapped
                lifted = true
            }
            guard case .list(let inner) = type else { return false }
            if inner == .nothing { return true }
            return match(element, inner, &binding, &lifted, topLevel: false)
        case .optional(let wrapped):
            return match(wrapped, type.unwrapped, &binding, &lifted, topLevel: false)
        }
    }

    /// The type a pattern stands for under `binding`; nil while it mentions an unbound `T`.
    static func instantiate(_ pattern: TypePattern, _ binding: RuleType?) -> RuleType? {
        switch pattern {
        case .exact(let type): type
        case .variable: binding
        case .list(let element): instantiate(element, binding).map(RuleType.list)
        case .optional(let wrapped): instantiate(wrapped, binding)?.optional
        }
    }
}
