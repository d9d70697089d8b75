import RxLanguage
import RxRecords
import RxValues

/// A `where` condition compiled to test one element in place: true, false, or nil when missing.
typealias ElementTest = @Sendable (Value, inout MemberContext) -> Bool?

/// `list where C` without the general per-element path, when C has no `if`, nested `where` or
/// native call (nothing that marks coverage, counts failures or keeps state):
/// - a part of C that does not read the element is computed at most once per run of the filter
///   (on first need, so a run over an empty list computes nothing, as before);
/// - `field op E` compares the element's field with that value without evaluating E per element;
///   `ndc in set` and medical `dx in set` test the record's code ids directly;
/// - `and`, `or`, `not` and `?? true|false` combine tests with the language's missing rules;
/// - any other part runs as compiled in general, with the element bound as usual;
/// - a condition that is only an `and` chain of such direct record tests (`ndc in set`, medical
///   `dx in set`, `setting in [...]`, a date field against a date or period, `overlaps(E)`, parts
///   that do not read the record) runs as one loop with no closure per test (`RecordKernel`).
/// Pure parts evaluated fewer times give the same result, so the filter keeps the same elements.
extension Lowering {
    /// `root` names the member's own record list when the source is just `fills` or `medical`:
    /// a kernel then walks the member's records without building the list first.
    mutating func compileElementFilter(
        source: @escaping Eval, root: RecordKernel.Root? = nil, elementType: RuleType, condition: Expr
    ) throws(EngineError) -> Eval? {
        guard fusingFilters, isFusable(condition) else { return nil }
        elementTypes.append(elementType)
        defer { elementTypes.removeLast() }
        let depth = elementTypes.count - 1
        let firstSlot = hoistedSlots
        if let kernel = try recordKernel(condition, depth: depth) {
            let slots = firstSlot..<hoistedSlots
            switch root {
            case .fills:
                return { context in
                    context.forgetHoisted(slots)
                    return kernel.runMemberFills(&context)
                }
            case .medical:
                return { context in
                    context.forgetHoisted(slots)
                    return kernel.runMemberMedical(&context)
                }
            case nil:
                return { context in
                    guard case .list(let items) = source(&context) else { return .missing }
                    context.forgetHoisted(slots)
                    return kernel.run(items, &context)
                }
            }
        }
        var bindsElement = false
        let test = try elementTest(condition, depth: depth, bindsElement: &bindsElement)
        let slots = firstSlot..<hoistedSlots
        let needsElement = bindsElement
        return { context in
            guard case .list(let items) = source(&context) else { return .missing }
            context.forgetHoisted(slots)
            // Most filters keep nothing for most members: no storage until the first element passes.
            var kept: [Value] = []
            context.quiet += 1
            if needsElement {
                context.elements.append(.missing)
                let slot = context.elements.count - 1
                for (position, item) in items.enumerated() {
                    context.elements[slot] = item
                    if test(item, &context) == true {
                        if kept.isEmpty { kept.reserveCapacity(items.count - position) }
                        kept.append(item)
                    }
                }
                context.elements.removeLast()
            } else {
                for (position, item) in items.enumerated() where test(item, &context) == true {
                    if kept.isEmpty { kept.reserveCapacity(items.count - position) }
                    kept.append(item)
                }
            }
            context.quiet -= 1
            return .list(kept)
        }
    }

    /// A condition made only of conjuncts that read one record field each (`ndc in set`, a date
    /// field against a date or period computed once): tested by `RecordKernel` without closures.
    private mutating func recordKernel(_ condition: Expr, depth: Int) throws(EngineError) -> RecordKernel? {
        // A conjunct the kernel cannot take gives up after earlier ones were hoisted: drop those
        // slots again, the closure path hoists its own.
        let firstSlot = hoistedSlots
        guard let tests = try kernelTests(condition, depth: depth) else {
            hoistedCode.removeLast(hoistedSlots - firstSlot)
            hoistedSlots = firstSlot
            return nil
        }
        return RecordKernel(tests: tests)
    }

    private mutating func kernelTests(_ condition: Expr, depth: Int) throws(EngineError) -> [RecordKernel.Test]? {
        var tests: [RecordKernel.Test] = []
        let kind = elementTypes[depth].unwrapped
        for conjunct in conjuncts(of: condition) {
            if !readsElement(conjunct) {
                tests.append(.hoisted(slot: try hoist(conjunct)))
                continue
            }
            if case .call(_, let arguments) = conjunct.kind, case .builtin("overlaps", _)? = pack.resolutions[conjunct.range],
               arguments.count == 1, !readsElement(arguments[0].value),
               kind == .record(.fill) || kind == .record(.medicalClaim) {
                tests.append(.overlaps(slot: try hoist(arguments[0].value)))
                continue
            }
            guard case .binary(let op, let left, let right, _) = conjunct.kind, let field = ownField(left, depth: depth),
                  !readsElement(right) else { return nil }
            if op == .in || op == .notIn, case .valueSet(let setName)? = pack.resolutions[right.range],
               let setIndex = valueSetIndex[setName] {
                switch (kind, field) {
                case (.record(.fill), "ndc"): tests.append(.ndcIn(set: setIndex, negate: op == .notIn))
                case (.record(.medicalClaim), "dx"): tests.append(.dxIn(set: setIndex, negate: op == .notIn))
                default: return nil
                }
                continue
            }
            if kind == .record(.medicalClaim), field == "setting" {
                guard let settings = settingNames(right) else { return nil }
                switch (op, right.kind) {
                case (.in, .list), (.equal, .name): tests.append(.settingIn(settings, negate: false))
                case (.notIn, .list), (.notEqual, .name): tests.append(.settingIn(settings, negate: true))
                default: return nil
                }
                continue
            }
            guard let day = DayField(field, of: elementTypes[depth]) else { return nil }
            // Only a period on the right of `in` and a date on the right of a comparison: a list of
            // dates and the rest take the general path.
            switch (op, type(of: right).unwrapped) {
            case (.in, .period), (.notIn, .period): break
            case (.less, .date), (.lessOrEqual, .date), (.greater, .date), (.greaterOrEqual, .date), (.equal, .date),
                 (.notEqual, .date): break
            default: return nil
            }
            tests.append(.date(day, op, slot: try hoist(right)))
        }
        return tests.isEmpty ? nil : tests
    }

    /// The settings named by `inpatient` or `[inpatient, snf]` as a bit set; nil for anything else.
    private func settingNames(_ expr: Expr) -> UInt8? {
        switch expr.kind {
        case .parenthesized(let inner): return settingNames(inner)
        case .name:
            guard case .enumMember(_, let name)? = pack.resolutions[expr.range], let setting = Setting(code: name) else { return nil }
            return 1 << setting.rawValue
        case .list(let items):
            var bits: UInt8 = 0
            for item in items {
                guard let bit = settingNames(item), case .name = item.kind else { return nil }
                bits |= bit
            }
            return bits
        default: return nil
        }
    }

    /// The operands of an `and` chain, parentheses removed. `T ?? false` counts as `T`: in a chain
    /// that must be true, a missing test and a false one drop the element alike.
    private func conjuncts(of expr: Expr) -> [Expr] {
        switch expr.kind {
        case .parenthesized(let inner): return conjuncts(of: inner)
        case .binary(.and, let left, let right, _): return conjuncts(of: left) + conjuncts(of: right)
        case .binary(.defaulting, let left, let right, _):
            if case .boolean(false) = right.kind { return conjuncts(of: left) }
            return [expr]
        default: return [expr]
        }
    }

    /// No `if`, nested `where` or native call anywhere in `expr`.
    private func isFusable(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .conditional, .filter, .missing, .error: return false
        case .call:
            if case .native? = pack.resolutions[expr.range] { return false }
        default: break
        }
        return childExpressions(of: expr).allSatisfy { isFusable($0) }
    }

    private mutating func elementTest(_ expr: Expr, depth: Int, bindsElement: inout Bool) throws(EngineError) -> ElementTest {
        if !readsElement(expr) {
            let slot = try hoist(expr)
            return { _, context in context.hoisted(slot).boolValue }
        }
        switch expr.kind {
        case .parenthesized(let inner):
            return try elementTest(inner, depth: depth, bindsElement: &bindsElement)
        case .unary(.not, let operand, _):
            let inner = try elementTest(operand, depth: depth, bindsElement: &bindsElement)
            return { item, context in inner(item, &context).map { !$0 } }
        case .binary(.and, let left, let right, _):
            let lhs = try elementTest(left, depth: depth, bindsElement: &bindsElement)
            let rhs = try elementTest(right, depth: depth, bindsElement: &bindsElement)
            return { item, context in
                let first = lhs(item, &context)
                if first == false { return false }
                let second = rhs(item, &context)
                if second == false { return false }
                return first == nil || second == nil ? nil : true
            }
        case .binary(.or, let left, let right, _):
            let lhs = try elementTest(left, depth: depth, bindsElement: &bindsElement)
            let rhs = try elementTest(right, depth: depth, bindsElement: &bindsElement)
            return { item, context in
                let first = lhs(item, &context)
                if first == true { return true }
                let second = rhs(item, &context)
                if second == true { return true }
                return first == nil || second == nil ? nil : false
            }
        case .binary(.defaulting, let left, let right, _):
            if case .boolean(let fallback) = right.kind {
                let lhs = try elementTest(left, depth: depth, bindsElement: &bindsElement)
                return { item, context in lhs(item, &context) ?? fallback }
            }
        case .binary(let op, let left, let right, _):
            if let test = try fieldComparison(op, left, right, depth: depth) { return test }
        case .call(_, let arguments):
            // `overlaps(E)`: the element's period against E, computed once.
            if case .builtin("overlaps", _)? = pack.resolutions[expr.range], arguments.count == 1,
               arguments[0].label == nil || arguments[0].label?.name == "period", !readsElement(arguments[0].value),
               let elementType = elementTypes.last, Fields.has("period", elementType) {
                let period = try Fields.getter(for: "period", of: elementType, at: expr.range)
                let slot = try hoist(arguments[0].value)
                return { item, context in
                    guard let own = period(item, &context).periodValue, let other = context.hoisted(slot).periodValue else { return nil }
                    return own.overlaps(other)
                }
            }
        default: break
        }
        // The general path, with the element bound where its code expects it.
        bindsElement = true
        let general = try compile(expr)
        return { _, context in general(&context).boolValue }
    }

    /// `field op E` or `E op field` with `field` read from this filter's element and E not reading
    /// it; nil for anything else.
    private mutating func fieldComparison(_ op: BinaryOperator, _ left: Expr, _ right: Expr, depth: Int) throws(EngineError) -> ElementTest? {
        switch op {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual, .in, .notIn: break
        default: return nil
        }
        if let field = ownField(left, depth: depth), !readsElement(right) {
            if op == .in || op == .notIn, case .valueSet(let setName)? = pack.resolutions[right.range],
               let setIndex = valueSetIndex[setName] {
                return try valueSetTest(field: field, set: setIndex, negate: op == .notIn, depth: depth, at: left.range)
            }
            let slot = try hoist(right)
            if let day = DayField(field, of: elementTypes[depth]) { return Self.dateComparison(op, day, slot) }
            let getter = try Fields.getter(for: field, of: elementTypes[depth], at: left.range)
            return Self.comparison(op) { item, context in (getter(item, &context), context.hoisted(slot)) }
        }
        if let field = ownField(right, depth: depth), !readsElement(left), op != .in, op != .notIn {
            let getter = try Fields.getter(for: field, of: elementTypes[depth], at: right.range)
            let slot = try hoist(left)
            return Self.comparison(op) { item, context in (context.hoisted(slot), getter(item, &context)) }
        }
        return nil
    }

    /// A record's own date field, read without making a value.
    enum DayField: Sendable {
        case fillDate, fromDate, thruDate

        init?(_ field: String, of type: RuleType) {
            switch (type.unwrapped, field) {
            case (.record(.fill), "fill_date"): self = .fillDate
            case (.record(.medicalClaim), "from_date"): self = .fromDate
            case (.record(.medicalClaim), "thru_date"): self = .thruDate
            default: return nil
            }
        }

        /// Inlined at each use: passing the context to a function would copy it.
        @inline(__always)
        func day(of item: Value, _ context: inout MemberContext) -> Day? {
            switch (self, item) {
            case (.fillDate, .fill(let index)): context.records.fills[Int(index)].fillDate
            case (.fromDate, .medical(let index)): context.records.medicalClaims[Int(index)].period.start
            case (.thruDate, .medical(let index)): context.records.medicalClaims[Int(index)].period.end
            default: nil
            }
        }
    }

    /// `date_field op E` with E a date (or a period for `in`): as `Compare` decides, on days.
    /// Anything else E may be falls back to the general comparison.
    private static func dateComparison(_ op: BinaryOperator, _ field: DayField, _ slot: Int) -> ElementTest {
        let general = comparison(op) { item, context in
            (field.day(of: item, &context).map(Value.date) ?? .missing, context.hoisted(slot))
        }
        return { item, context in
            let bound = context.hoisted(slot)
            switch (op, bound) {
            case (.in, .period(let period)), (.notIn, .period(let period)):
                guard let own = field.day(of: item, &context) else { return nil }
                return period.contains(own) != (op == .notIn)
            case (.less, .date(let other)), (.lessOrEqual, .date(let other)), (.greater, .date(let other)),
                 (.greaterOrEqual, .date(let other)), (.equal, .date(let other)), (.notEqual, .date(let other)):
                guard let own = field.day(of: item, &context) else { return nil }
                switch op {
                case .less: return own < other
                case .lessOrEqual: return own <= other
                case .greater: return own > other
                case .greaterOrEqual: return own >= other
                case .equal: return own == other
                default: return own != other
                }
            default:
                return general(item, &context)
            }
        }
    }

    /// The same comparisons as the general binary operators, on operands given by `operands`.
    private static func comparison(
        _ op: BinaryOperator, _ operands: @escaping @Sendable (Value, inout MemberContext) -> (Value, Value)
    ) -> ElementTest {
        switch op {
        case .equal, .notEqual:
            let negate = op == .notEqual
            return { item, context in
                let (a, b) = operands(item, &context)
                if a.isMissing || b.isMissing { return nil }
                return Compare.equal(a, b, codes: context.records.codes) != negate
            }
        case .in, .notIn:
            let negate = op == .notIn
            return { item, context in
                let (a, b) = operands(item, &context)
                let found = Compare.member(a, of: b, valueSets: context.bindings.valueSets, codes: context.records.codes)
                return found.map { $0 != negate }
            }
        default:
            return { item, context in
                let (a, b) = operands(item, &context)
                guard let order = Compare.order(a, b, codes: context.records.codes) else { return nil }
                switch op {
                case .less: return order < 0
                case .lessOrEqual: return order <= 0
                case .greater: return order > 0
                default: return order >= 0
                }
            }
        }
    }

    /// `field in set`: a bit test on the record's code ids (a medical claim's `dx`: any of them).
    private func valueSetTest(field: String, set setIndex: Int, negate: Bool, depth: Int, at range: SourceRange) throws(EngineError) -> ElementTest {
        switch (elementTypes[depth].unwrapped, field) {
        case (.record(.fill), "ndc"):
            return { item, context in
                guard case .fill(let index) = item else { return nil }
                return context.bindings.valueSets[setIndex].contains(context.records.fills[Int(index)].ndc) != negate
            }
        case (.record(.medicalClaim), "dx"):
            return { item, context in
                guard case .medical(let index) = item else { return nil }
                let set = context.bindings.valueSets[setIndex]
                let claim = context.records.medicalClaims[Int(index)]
                return context.records.diagnoses(of: claim).contains { set.contains($0) } != negate
            }
        default:
            let getter = try Fields.getter(for: field, of: elementTypes[depth], at: range)
            return { item, context in
                let value = getter(item, &context)
                switch value {
                case .code(let id): return context.bindings.valueSets[setIndex].contains(id) != negate
                case .missing: return nil
                default:
                    return Compare.member(
                        value, of: .valueSet(setIndex), valueSets: context.bindings.valueSets, codes: context.records.codes
                    ).map { $0 != negate }
                }
            }
        }
    }

    /// The field name when `expr` reads a field of the element at `depth` (the innermost filter).
    private func ownField(_ expr: Expr, depth: Int) -> String? {
        switch expr.kind {
        case .parenthesized(let inner): return ownField(inner, depth: depth)
        case .name:
            guard case .elementField(let field)? = pack.resolutions[expr.range],
                  elementTypes.lastIndex(where: { Fields.has(field, $0) }) == depth else { return nil }
            return field
        default: return nil
        }
    }

    /// Reserves a per-run slot for an expression that does not read the element.
    private mutating func hoist(_ expr: Expr) throws(EngineError) -> Int {
        let compiled = try compile(expr)
        hoistedCode.append(Code(compiled))
        hoistedSlots += 1
        return hoistedSlots - 1
    }
}

/// A `where` over records whose condition is an `and` chain of direct record tests, run as one
/// loop with a switch per test: the general closures' calls, values and reference counting are
/// what the commonest filters (`ndc in set and fill_date in period`) would otherwise spend.
struct RecordKernel: Sendable {
    enum Test: Sendable {
        case ndcIn(set: Int, negate: Bool)
        /// Any of a medical claim's diagnoses in the set.
        case dxIn(set: Int, negate: Bool)
        /// A medical claim's setting among those of the bit set (by `Setting` raw value).
        case settingIn(UInt8, negate: Bool)
        /// The record's period overlaps the period computed once in a hoisted slot.
        case overlaps(slot: Int)
        /// A conjunct that does not read the record, computed once.
        case hoisted(slot: Int)
        /// A date field against the value computed once in a hoisted slot.
        case date(Lowering.DayField, BinaryOperator, slot: Int)
    }

    /// The member's own record lists a kernel can walk in place.
    enum Root: Sendable { case fills, medical }

    let tests: [Test]

    /// The kept items. An `and` chain holds when every test is true; a false test stops it, and
    /// later tests (and their hoisted operands) are not evaluated, as in the general path.
    func run(_ items: [Value], _ context: inout MemberContext) -> Value {
        var kept: [Value] = []
        context.quiet += 1
        withTests { tests, bounds in
            for (position, item) in items.enumerated() where RecordKernel.holds(item, tests, bounds, &context) {
                if kept.isEmpty { kept.reserveCapacity(items.count - position) }
                kept.append(item)
            }
        }
        context.quiet -= 1
        return .list(kept)
    }

    /// The tests and a table of their hoisted operands, read on first need within one run.
    @inline(__always)
    private func withTests(_ body: (UnsafeBufferPointer<Test>, UnsafeMutableBufferPointer<Bound>) -> Void) {
        tests.withUnsafeBufferPointer { tests in
            withUnsafeTemporaryAllocation(of: Bound.self, capacity: tests.count) { bounds in
                bounds.initialize(repeating: .unresolved)
                body(tests, bounds)
            }
        }
    }

    /// `fills where C`: the member's paid fills tested in place, as `run(context.fills())` would.
    /// Records are read through the context by index: a local copy of an array or slice would
    /// retain storage that every worker thread shares, and those counts contend between cores.
    func runMemberFills(_ context: inout MemberContext) -> Value {
        let range = context.fillRange
        var kept: [Value] = []
        context.quiet += 1
        withTests { tests, bounds in
            // The commonest first test, `ndc in set`, runs inline with its set looked up once: most
            // fills fail it, and then no test is dispatched at all. The rest keep their order.
            if case .ndcIn(let set, let negate)? = tests.first {
                let valueSet = context.bindings.valueSets[set]
                let rest = UnsafeBufferPointer(rebasing: tests.dropFirst())
                let restBounds = UnsafeMutableBufferPointer(rebasing: bounds.dropFirst())
                for index in range {
                    guard context.records.fills[index].status == .paid,
                          valueSet.contains(context.records.fills[index].ndc) != negate,
                          RecordKernel.holds(fill: index, rest, restBounds, &context) else { continue }
                    if kept.isEmpty { kept.reserveCapacity(range.upperBound - index) }
                    kept.append(.fill(Int32(index)))
                }
                return
            }
            for index in range {
                guard context.records.fills[index].status == .paid,
                      RecordKernel.holds(fill: index, tests, bounds, &context) else { continue }
                if kept.isEmpty { kept.reserveCapacity(range.upperBound - index) }
                kept.append(.fill(Int32(index)))
            }
        }
        context.quiet -= 1
        return .list(kept)
    }

    /// A hoisted operand once read in a run, as plain data (no reference counting per record).
    enum Bound {
        case unresolved, period(Period), date(Day), isTrue, other

        init(_ value: Value) {
            switch value {
            case .period(let period): self = .period(period)
            case .date(let day): self = .date(day)
            case .bool(true): self = .isTrue
            default: self = .other
            }
        }
    }

    @inline(__always)
    private static func bound(_ slot: Int, _ position: Int, _ bounds: UnsafeMutableBufferPointer<Bound>,
                              _ context: inout MemberContext) -> Bound {
        if case .unresolved = bounds[position] { bounds[position] = Bound(context.hoisted(slot)) }
        return bounds[position]
    }

    @inline(__always)
    private static func holds(fill index: Int, _ tests: UnsafeBufferPointer<Test>,
                              _ bounds: UnsafeMutableBufferPointer<Bound>, _ context: inout MemberContext) -> Bool {
        for position in 0..<tests.count {
            switch tests[position] {
            case .ndcIn(let set, let negate):
                if context.bindings.valueSets[set].contains(context.records.fills[index].ndc) == negate { return false }
            case .dxIn, .settingIn:
                return false
            case .overlaps(let slot):
                guard case .period(let other) = bound(slot, position, bounds, &context),
                      context.records.fills[index].supplyPeriod.overlaps(other) else { return false }
            case .hoisted(let slot):
                guard case .isTrue = bound(slot, position, bounds, &context) else { return false }
            case .date(let field, let op, let slot):
                guard case .fillDate = field,
                      compare(context.records.fills[index].fillDate, op, bound(slot, position, bounds, &context))
                else { return false }
            }
        }
        return true
    }

    /// `medical where C`: the member's medical claims tested in place, as `run(context.medical())` would.
    func runMemberMedical(_ context: inout MemberContext) -> Value {
        let range = context.medicalRange
        var kept: [Value] = []
        context.quiet += 1
        withTests { tests, bounds in
            for index in range where RecordKernel.holds(medical: index, tests, bounds, &context) {
                if kept.isEmpty { kept.reserveCapacity(range.upperBound - index) }
                kept.append(.medical(Int32(index)))
            }
        }
        context.quiet -= 1
        return .list(kept)
    }

    @inline(__always)
    private static func holds(_ item: Value, _ tests: UnsafeBufferPointer<Test>,
                              _ bounds: UnsafeMutableBufferPointer<Bound>, _ context: inout MemberContext) -> Bool {
        switch item {
        case .fill(let index): return holds(fill: Int(index), tests, bounds, &context)
        case .medical(let index): return holds(medical: Int(index), tests, bounds, &context)
        default:
            // Only a chain of hoisted tests can hold for another kind of element.
            for position in 0..<tests.count {
                guard case .hoisted(let slot) = tests[position], case .isTrue = bound(slot, position, bounds, &context)
                else { return false }
            }
            return true
        }
    }

    /// Fields are read one by one: a copy of the claim would retain its claim id.
    @inline(__always)
    private static func holds(medical index: Int, _ tests: UnsafeBufferPointer<Test>,
                              _ bounds: UnsafeMutableBufferPointer<Bound>, _ context: inout MemberContext) -> Bool {
        for position in 0..<tests.count {
            switch tests[position] {
            case .ndcIn:
                return false
            case .dxIn(let set, let negate):
                let diagnoses = context.records.medicalClaims[index].diagnosisRange
                var found = false
                for code in diagnoses where context.bindings.valueSets[set].contains(context.records.codePool[code]) {
                    found = true
                    break
                }
                if found == negate { return false }
            case .settingIn(let settings, let negate):
                let bit: UInt8 = 1 << context.records.medicalClaims[index].setting.rawValue
                if (settings & bit != 0) == negate { return false }
            case .overlaps(let slot):
                guard case .period(let other) = bound(slot, position, bounds, &context),
                      context.records.medicalClaims[index].period.overlaps(other) else { return false }
            case .hoisted(let slot):
                guard case .isTrue = bound(slot, position, bounds, &context) else { return false }
            case .date(let field, let op, let slot):
                let own: Day
                switch field {
                case .fromDate: own = context.records.medicalClaims[index].period.start
                case .thruDate: own = context.records.medicalClaims[index].period.end
                case .fillDate: return false
                }
                guard compare(own, op, bound(slot, position, bounds, &context)) else { return false }
            }
        }
        return true
    }

    /// `own op bound` on days; false when the bound is missing or of another kind (the comparison
    /// is then missing, so the chain is not true).
    @inline(__always)
    private static func compare(_ own: Day, _ op: BinaryOperator, _ bound: Bound) -> Bool {
        switch (op, bound) {
        case (.in, .period(let period)): period.contains(own)
        case (.notIn, .period(let period)): !period.contains(own)
        case (.less, .date(let other)): own < other
        case (.lessOrEqual, .date(let other)): own <= other
        case (.greater, .date(let other)): own > other
        case (.greaterOrEqual, .date(let other)): own >= other
        case (.equal, .date(let other)): own == other
        case (.notEqual, .date(let other)): own != other
        default: false
        }
    }
}
