import RxAdherence
import RxLanguage
import RxRecords
import RxValues

/// Why a checked pack could not be lowered (a construct the evaluator does not run yet).
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var range: SourceRange?

    public init(_ message: String, at range: SourceRange? = nil) {
        self.message = message
        self.range = range
    }

    public var description: String { message }
}

/// A place a test run can reach: a clause or a branch, for the "never reached" list.
public struct CoveragePoint: Sendable, Hashable {
    public var block: String
    public var what: String
    public var range: SourceRange
}

/// Turns checked expressions into closures, once per pack.
///
/// Closure compilation: every node becomes a closure over its compiled children, with names,
/// fields, builtins and value sets resolved here, so evaluation does no lookups by name.
struct Lowering {
    let pack: CheckedPack
    let parameterIndex: [String: Int]
    let valueSetIndex: [String: Int]
    let defineIndex: [String: Int]
    var localIndex: [String: Int] = [:]
    var locals: [Code?] = []
    /// Element types of the enclosing `where` filters during compilation, innermost last.
    var elementTypes: [RuleType] = []
    var coverage: [CoveragePoint] = []
    var currentBlock = ""
    /// Native functions of the pack's module, by name.
    var natives: [String: NativeImplementation] = [:]
    /// Member caches reserved by `history where` filters.
    var historyFilterSlots = 0
    /// Cached parts of plain `history where` conditions (see `HistoryFilter`): per member and fill,
    /// and per claim; `splittingParts` while compiling a per-claim conjunct.
    var fillPartSlots = 0
    var claimPartSlots = 0
    var splittingParts = false
    /// Parts of `where` conditions that do not read the element, computed once per filter run
    /// (see `compileElementFilter`).
    var hoistedSlots = 0
    var fusingFilters = true
    var hoistedCode: [Code] = []

    init(pack: CheckedPack, parameterNames: [String], valueSetNames: [String], defineNames: [String]) {
        self.pack = pack
        parameterIndex = Dictionary(uniqueKeysWithValues: parameterNames.enumerated().map { ($1, $0) })
        valueSetIndex = Dictionary(uniqueKeysWithValues: valueSetNames.enumerated().map { ($1, $0) })
        defineIndex = Dictionary(uniqueKeysWithValues: defineNames.enumerated().map { ($1, $0) })
    }

    /// Reserves a slot for a block local so later clauses can refer to it before it is compiled.
    mutating func localSlot(block: String, name: String) -> Int {
        let key = block + "\u{0}" + name
        if let slot = localIndex[key] { return slot }
        locals.append(nil)
        localIndex[key] = locals.count - 1
        return locals.count - 1
    }

    mutating func point(_ what: String, _ range: SourceRange) -> Int {
        coverage.append(CoveragePoint(block: currentBlock, what: what, range: range))
        return coverage.count - 1
    }

    func type(of expr: Expr) -> RuleType {
        pack.expressionTypes[expr.range] ?? .error
    }

    // MARK: Expressions

    mutating func compile(_ expr: Expr) throws(EngineError) -> Eval {
        if splittingParts, let cached = try compileSplitPart(expr) { return cached }
        switch expr.kind {
        case .name(let name):
            return try compileName(name, expr)
        case .integer(let value, _):
            let constant = Value.int(Int(value))
            return { _ in constant }
        case .decimal(let value, _):
            let constant = Value.decimal(Rational(value))
            return { _ in constant }
        case .money(let value, _, _):
            let constant = Value.money(value)
            return { _ in constant }
        case .date(let day):
            return { _ in .date(day) }
        case .string(let text):
            let constant = type(of: expr).unwrapped == .code ? Value.codeText(text) : Value.string(text)
            return { _ in constant }
        case .boolean(let flag):
            return { _ in .bool(flag) }
        case .list(let items):
            let parts = try items.map { item throws(EngineError) in try compile(item) }
            return { context in .list(parts.map { $0(&context) }) }
        case .parenthesized(let inner):
            return try compile(inner)
        case .unary(let op, let operand, _):
            let inner = try compile(operand)
            let resultType = type(of: expr).unwrapped
            switch op {
            case .not:
                return { context in
                    guard case .bool(let flag) = inner(&context) else { return .missing }
                    return .bool(!flag)
                }
            case .negate:
                return { context in Arithmetic.negate(inner(&context), as: resultType) }
            }
        case .binary(let op, let left, let right, _):
            return try compileBinary(op, left, right, expr)
        case .filter(let list, let condition):
            if let historyCondition = historyFilterCondition(expr) {
                let filter = try compileHistoryFilter(historyCondition)
                return { context in filter.run(.all, &context) }
            }
            let source = try compile(list)
            let elementType = type(of: list).unwrapped.listElement ?? .error
            var root: RecordKernel.Root?
            if case .name = list.kind, case .root(let name)? = pack.resolutions[list.range] {
                root = name == "fills" ? .fills : name == "medical" ? .medical : nil
            }
            if let fused = try compileElementFilter(source: source, root: root, elementType: elementType, condition: condition) {
                return fused
            }
            elementTypes.append(elementType)
            let test = try compile(condition)
            elementTypes.removeLast()
            return { context in
                guard case .list(let items) = source(&context) else { return .missing }
                var kept: [Value] = []
                kept.reserveCapacity(items.count)
                // One element slot for the whole loop, overwritten per item (not pushed and popped).
                context.quiet += 1
                context.elements.append(.missing)
                let slot = context.elements.count - 1
                for item in items {
                    context.elements[slot] = item
                    if case .bool(true) = test(&context) { kept.append(item) }
                }
                context.elements.removeLast()
                context.quiet -= 1
                return .list(kept)
            }
        case .conditional(let condition, let then, let otherwise):
            let test = try compile(condition)
            let yes = try compile(then)
            let no = try compile(otherwise)
            let thenPoint = point("if branch then", then.range)
            let elsePoint = point("if branch else", otherwise.range)
            return { context in
                switch test(&context) {
                case .bool(true):
                    context.mark(thenPoint)
                    return yes(&context)
                case .bool(false):
                    context.mark(elsePoint)
                    return no(&context)
                default: return .missing
                }
            }
        case .member(let base, let field):
            if case .output(let block, let name)? = pack.resolutions[base.range] {
                throw EngineError("reading the output \(block).\(name) inside a pack is not supported yet", at: expr.range)
            }
            if case .column(let setName, let column)? = pack.resolutions[expr.range] {
                // A drug key written as `statins.ingredient`.
                let key = "\(setName ?? "").\(column)"
                return { _ in .enumMember(key) }
            }
            let inner = try compile(base)
            let getter = try Fields.getter(for: field.name, of: type(of: base), at: field.range)
            return { context in Fields.project(inner(&context), getter, &context) }
        case .call(let callee, let arguments):
            return try compileCall(callee, arguments, expr)
        case .exists(let inner):
            let value = try compile(inner)
            return { context in .bool(!value(&context).isMissing) }
        case .isMissing(let inner):
            let value = try compile(inner)
            return { context in .bool(value(&context).isMissing) }
        case .duration(let count, let unit, _):
            let value = try compile(count)
            return { context in
                guard case .int(let number) = value(&context) else { return .missing }
                switch unit {
                case .days: return .days(number)
                case .months: return .months(number)
                case .years: return .months(number * 12)
                }
            }
        case .missing, .error:
            throw EngineError("the pack has a syntax error here", at: expr.range)
        }
    }

    private mutating func compileName(_ name: String, _ expr: Expr) throws(EngineError) -> Eval {
        guard let resolution = pack.resolutions[expr.range] else {
            throw EngineError("the name '\(name)' was not resolved by the checker", at: expr.range)
        }
        switch resolution {
        case .parameter(let parameter):
            guard let index = parameterIndex[parameter] else { throw EngineError("unknown parameter \(parameter)", at: expr.range) }
            return { context in context.bindings.parameters[index] }
        case .valueSet(let set):
            guard let index = valueSetIndex[set] else { throw EngineError("unknown value set \(set)", at: expr.range) }
            return { _ in .valueSet(index) }
        case .define(let define):
            guard let index = defineIndex[define] else { throw EngineError("unknown define \(define)", at: expr.range) }
            return { context in context.define(index) }
        case .output(let block, let output):
            throw EngineError("reading the output \(block).\(output) inside a pack is not supported yet", at: expr.range)
        case .root(let root):
            switch root {
            case "fills": return { context in context.fills() }
            case "medical": return { context in context.medical() }
            case "observations": return { context in context.observations() }
            case "enrollment": return { context in context.enrollment() }
            case "member": return { _ in .member }
            default: throw EngineError("unknown record list \(root)", at: expr.range)
            }
        case .elementField(let field):
            // The innermost enclosing `where` whose element has the field.
            guard let depth = elementTypes.lastIndex(where: { Fields.has(field, $0) }) else {
                throw EngineError("no enclosing element has the field \(field)", at: expr.range)
            }
            let getter = try Fields.getter(for: field, of: elementTypes[depth], at: expr.range)
            return { context in getter(context.elements[depth], &context) }
        case .element:
            let depth = elementTypes.count - 1
            guard depth >= 0 else { throw EngineError("'it' outside a where", at: expr.range) }
            return { context in context.elements[depth] }
        case .local(let block, let local):
            let slot = localSlot(block: block, name: local)
            return { context in context.local(slot) }
        case .claimContext(let which):
            if which == "this" { return { context in context.this } }
            return { context in context.claimHistory() }
        case .enumMember(_, let member):
            return { _ in .enumMember(member) }
        case .column(let setName, let column):
            let key = "\(setName ?? "").\(column)"
            return { _ in .enumMember(key) }
        case .builtin(let function, _), .native(let function):
            throw EngineError("the function \(function) is used without a call", at: expr.range)
        }
    }

    private mutating func compileBinary(_ op: BinaryOperator, _ left: Expr, _ right: Expr, _ expr: Expr) throws(EngineError) -> Eval {
        if let membership = try compileValueSetMembership(op, left, right) { return membership }
        let lhs = try compile(left)
        let rhs = try compile(right)
        let resultType = type(of: expr).unwrapped
        switch op {
        case .and:
            return { context in
                let first = lhs(&context)
                if case .bool(false) = first { return .bool(false) }
                let second = rhs(&context)
                if case .bool(false) = second { return .bool(false) }
                if first.isMissing || second.isMissing { return .missing }
                return .bool(true)
            }
        case .or:
            return { context in
                let first = lhs(&context)
                if case .bool(true) = first { return .bool(true) }
                let second = rhs(&context)
                if case .bool(true) = second { return .bool(true) }
                if first.isMissing || second.isMissing { return .missing }
                return .bool(false)
            }
        case .defaulting:
            return { context in
                let first = lhs(&context)
                return first.isMissing ? rhs(&context) : first
            }
        case .equal, .notEqual:
            let negate = op == .notEqual
            return { context in
                let a = lhs(&context), b = rhs(&context)
                if a.isMissing || b.isMissing { return .missing }
                return .bool(Compare.equal(a, b, codes: context.records.codes) != negate)
            }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return { context in
                let a = lhs(&context), b = rhs(&context)
                guard let order = Compare.order(a, b, codes: context.records.codes) else { return .missing }
                switch op {
                case .less: return .bool(order < 0)
                case .lessOrEqual: return .bool(order <= 0)
                case .greater: return .bool(order > 0)
                default: return .bool(order >= 0)
                }
            }
        case .in, .notIn:
            let negate = op == .notIn
            return { context in
                let a = lhs(&context), b = rhs(&context)
                guard let found = Compare.member(a, of: b, valueSets: context.bindings.valueSets, codes: context.records.codes)
                else { return .missing }
                return .bool(found != negate)
            }
        case .range:
            return { context in
                guard case .date(let start) = lhs(&context), case .date(let end) = rhs(&context) else { return .missing }
                return .period(Period(start, end))
            }
        case .add, .subtract, .multiply, .divide:
            return { context in Arithmetic.apply(op, lhs(&context), rhs(&context), as: resultType) }
        }
    }

    /// List functions that can stop at the first `history` element that passes a plain filter.
    private static let earlyStop: [String: HistoryFilter.Mode] = ["first": .first, "last": .last, "any": .any]

    /// `count_distinct(list.field)` counted as the field is read, without building the projected list.
    private mutating func compileDistinctField(_ arguments: [Argument]) throws(EngineError) -> Eval? {
        guard arguments.count == 1, case .member(let base, let field) = arguments[0].value.kind,
              pack.resolutions[arguments[0].value.range] == nil,  // not a value-set column
              case .list = type(of: base).unwrapped
        else { return nil }
        switch pack.resolutions[base.range] {
        case .output?, .valueSet?: return nil  // the general path reports or handles these
        default: break
        }
        let list = try compile(base)
        let getter = try Fields.getter(for: field.name, of: type(of: base), at: field.range)
        return { context in
            guard case .list(let items) = list(&context) else { return .missing }
            return .int(Builtins.distinctCount(items, getter, &context))
        }
    }

    private mutating func compileCall(_ callee: Expr, _ arguments: [Argument], _ expr: Expr) throws(EngineError) -> Eval {
        switch pack.resolutions[expr.range] {
        case .column(let setName, let column)?:
            guard let argument = arguments.first else { throw EngineError("a column lookup needs a code", at: expr.range) }
            let code = try compile(argument.value)
            // A value set without the column gives nothing for any code: left out here.
            let names = setName.map { [$0] } ?? pack.valueSets.keys.sorted()
            let sets: [(set: Int, column: Int)] = names.compactMap { name in
                guard let set = pack.valueSets[name], let index = valueSetIndex[name],
                      let position = BoundColumn.position(of: column, in: set) else { return nil }
                return (index, position)
            }
            return { context in Builtins.column(column, of: code(&context), in: sets, context: &context) }
        case .builtin(let name, let signature)?:
            if let mode = Self.earlyStop[name], arguments.count == 1, arguments[0].label == nil,
               let condition = historyFilterCondition(arguments[0].value) {
                let filter = try compileHistoryFilter(condition)
                if filter.isPlain { return { context in filter.run(mode, &context) } }
            }
            if name == "count_distinct", let fused = try compileDistinctField(arguments) { return fused }
            guard let function = BuiltinCatalogue.function(named: name), function.signatures.indices.contains(signature) else {
                throw EngineError("unknown function \(name)", at: expr.range)
            }
            let parameters = function.signatures[signature].parameters
            var bound: [String: Code] = [:]
            var boundExprs: [String: Expr] = [:]
            var position = 0
            for argument in arguments {
                let name: String
                if let label = argument.label {
                    name = label.name
                } else {
                    let positional = parameters.filter { !$0.isNamed }
                    guard position < positional.count else { throw EngineError("too many arguments", at: argument.range) }
                    name = positional[position].name
                    position += 1
                }
                let implicitElement = function.signatures[signature].elementPeriodImplicit
                _ = implicitElement
                bound[name] = Code(try compile(argument.value))
                boundExprs[name] = argument.value
            }
            var elementPeriod: Eval?
            if function.signatures[signature].elementPeriodImplicit {
                guard let elementType = elementTypes.last else {
                    throw EngineError("overlaps(period) needs an enclosing where", at: expr.range)
                }
                let depth = elementTypes.count - 1
                let getter = try Fields.getter(for: "period", of: elementType, at: expr.range)
                elementPeriod = { context in getter(context.elements[depth], &context) }
            }
            return try Builtins.compile(
                name, signature: signature, arguments: bound, argumentExprs: boundExprs, elementPeriod: elementPeriod,
                resultType: type(of: expr), lowering: self, range: expr.range)
        case .native(let name)?:
            guard let implementation = natives[name] else {
                throw EngineError(
                    "the native function '\(name)' is not available: load the pack's compiled module", at: expr.range)
            }
            let compiled = try arguments.map { argument throws(EngineError) in try compile(argument.value) }
            return { context in
                var values: [NativeValue] = []
                values.reserveCapacity(compiled.count)
                for argument in compiled {
                    guard let value = NativeCall.argument(argument(&context)) else { return .missing }
                    values.append(value)
                }
                // A native function that reports a failure gives a missing value.
                return implementation(values).map(NativeCall.result) ?? .missing
            }
        default:
            throw EngineError("this call was not resolved by the checker", at: callee.range)
        }
    }
}
