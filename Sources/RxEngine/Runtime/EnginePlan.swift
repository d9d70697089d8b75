import RxAdherence
import RxLanguage
import RxRecords
import RxValues

/// What a measure says about one member.
public enum MeasureStatus: Sendable, Equatable {
    /// An `include when` did not hold: outside the denominator, no row.
    case notIncluded
    /// Included, then excluded; the reason is the clause's text (`excluded` when it has none).
    case excluded(reason: String)
    /// In the denominator: one row with the values in declaration order.
    case included
}

/// One measure's result for one member.
public struct MeasureOutcome: Sendable {
    public var measure: String
    public var status: MeasureStatus
    /// Value names and values in declaration order (empty unless included, and for a measure with `for each`).
    public var values: [(name: String, value: Value)]
    /// Per value, the claims it was computed from (empty unless evidence was asked for).
    public var evidence: [[RecordRef]]
    /// A measure with `for each`: one row per element, in list order (nil for a one-row measure).
    public var rows: [[(name: String, value: Value)]]? = nil
}

/// One contract's result: eligible, each gate and event, payout (Money in the pack currency).
public struct ContractOutcome: Sendable {
    public var contract: String
    public var outputs: [(name: String, value: Value)]
    /// Per output, the claims it was computed from (the payout: the fills its amount read);
    /// empty unless evidence was asked for.
    public var evidence: [[RecordRef]]
    /// The first day of the contract window, when the member has one (portfolios break down by
    /// the plan in force on it).
    public var windowStart: Day?
}

/// One reject clause that held.
public struct RejectFinding: Sendable, Equatable {
    public var code: String
    public var message: String?
    /// The earliest acceptable fill date, when the rule gives one.
    public var nextFill: Day?
}

/// A claim rule's decision for one claim.
public struct ClaimDecision: Sendable {
    /// Index of the claim in the record set's fills.
    public var claimIndex: Int32
    public var claimID: String
    public var fillDate: Day
    /// Every reject that held, in clause order; empty means pay.
    public var rejects: [RejectFinding]
    public var pays: Bool { rejects.isEmpty }
}

/// Everything a pack computed for one member.
public struct MemberResult: Sendable {
    public var memberID: String
    public var measures: [MeasureOutcome]
    public var contracts: [ContractOutcome]
    /// Claim rule name and its decisions in claim order.
    public var claimRules: [(rule: String, decisions: [ClaimDecision])]
    /// Coverage marks (only when asked for).
    var reached: [Bool]
    /// Defines and parameters a test reads by name (only when asked for).
    var globals: [String: Value] = [:]

    /// A result to evaluate into (`MemberEvaluator.evaluate(member:into:)`).
    public static var empty: MemberResult { MemberResult(memberID: "", measures: [], contracts: [], claimRules: [], reached: []) }
}

/// A checked pack lowered once into closures and bound to a record set's code table.
///
/// Immutable: `evaluate` may run concurrently for different members; each call has its own scratch.
public struct EnginePlan: Sendable {
    public let packName: String
    public let currency: String
    let program: Program
    let bindings: Bindings
    let measures: [CompiledMeasure]
    let contracts: [CompiledContract]
    let claimRules: [CompiledClaimRule]
    let defineIndex: [String: Int]
    let parameterIndex: [String: Int]
    /// Clauses and branches a test run can reach.
    public let coveragePoints: [CoveragePoint]

    /// Lowers `checked` (which must have no errors) against `codes`; `overrides` replace parameter values.
    public init(
        checked: PackCheckResult, codes: CodeTable, overrides: [String: ParameterValue] = [:],
        natives: [String: NativeImplementation] = [:]
    ) throws(EngineError) {
        try self.init(checked: checked, codes: codes, overrides: overrides, natives: natives, fusingFilters: true)
    }

    /// `fusingFilters: false` compiles every `where` the general way (tests compare both).
    init(
        checked: PackCheckResult, codes: CodeTable, overrides: [String: ParameterValue] = [:],
        natives: [String: NativeImplementation] = [:], fusingFilters: Bool
    ) throws(EngineError) {
        let pack = checked.pack
        packName = pack.name
        currency = pack.currency ?? "USD"
        let parameterNames = pack.parameters.keys.sorted()
        let valueSetNames = pack.valueSets.keys.sorted()
        var defineNames: [String] = []
        var defineExprs: [String: Expr] = [:]
        var measureDecls: [MeasureDeclaration] = []
        var contractDecls: [ContractDeclaration] = []
        var ruleDecls: [ClaimRuleDeclaration] = []
        for file in checked.syntax {
            for declaration in file.declarations {
                switch declaration.kind {
                case .define(let define):
                    defineNames.append(define.name.name)
                    defineExprs[define.name.name] = define.value
                case .measure(let measure): measureDecls.append(measure)
                case .contract(let contract): contractDecls.append(contract)
                case .claimRule(let rule): ruleDecls.append(rule)
                default: break
                }
            }
        }
        var lowering = Lowering(pack: pack, parameterNames: parameterNames, valueSetNames: valueSetNames, defineNames: defineNames)
        lowering.natives = natives
        lowering.fusingFilters = fusingFilters
        var defines: [Code] = []
        for name in defineNames {
            guard let expr = defineExprs[name] else { continue }
            lowering.currentBlock = "define \(name)"
            defines.append(Code(try lowering.compile(expr)))
        }
        var measures: [CompiledMeasure] = []
        for declaration in measureDecls { measures.append(try CompiledMeasure(declaration, &lowering)) }
        var contracts: [CompiledContract] = []
        for declaration in contractDecls { contracts.append(try CompiledContract(declaration, &lowering)) }
        var rules: [CompiledClaimRule] = []
        for declaration in ruleDecls { rules.append(try CompiledClaimRule(declaration, &lowering)) }
        var locals: [Code] = []
        for (index, slot) in lowering.locals.enumerated() {
            guard let slot else {
                let name = lowering.localIndex.first { $0.value == index }?.key.replacingOccurrences(of: "\u{0}", with: ".") ?? "?"
                throw EngineError("the local \(name) is used but never defined")
            }
            locals.append(slot)
        }
        self.measures = measures
        self.contracts = contracts
        defineIndex = lowering.defineIndex
        parameterIndex = lowering.parameterIndex
        claimRules = rules
        coveragePoints = lowering.coverage
        program = Program(
            defines: defines, locals: locals, coveragePoints: lowering.coverage.count,
            historyFilterSlots: lowering.historyFilterSlots, fillPartSlots: lowering.fillPartSlots,
            claimPartSlots: lowering.claimPartSlots, hoisted: lowering.hoistedCode)

        var parameters: [Value] = []
        for name in parameterNames {
            let value = overrides[name] ?? pack.parameters[name]?.value
            parameters.append(value.map(EnginePlan.value(of:)) ?? .missing)
        }
        let valueSets = valueSetNames.compactMap { name in pack.valueSets[name].map { EnginePlan.bind($0, codes: codes) } }
        bindings = Bindings(parameters: parameters, valueSets: valueSets, currency: currency)
    }

    static func value(of parameter: ParameterValue) -> Value {
        switch parameter {
        case .bool(let value): .bool(value)
        case .int(let value): .int(value)
        case .decimal(let value): .decimal(Rational(value))
        case .money(let value, _): .money(value)
        case .date(let value): .date(value)
        case .days(let value): .days(value)
        case .months(let value): .months(value)
        case .period(let value): .period(value)
        case .string(let value): .string(value)
        case .code(let value): .codeText(value)
        }
    }

    /// Membership bits per code id, prefixes resolved once per distinct code of the table.
    static func bind(_ set: CheckedValueSet, codes: CodeTable) -> BoundValueSet {
        let copy = CheckedValueSetCopy(codes: set.codes, prefixes: set.prefixes, columns: set.columns, system: set.system?.rawValue)
        var bits = Array(repeating: UInt64(0), count: codes.count / 64 + 1)
        if set.prefixes.isEmpty {
            // Look the set's codes up in the table: a scan of every interned code (millions of
            // strings on a large load) is only needed when prefixes must be matched.
            for code in set.codes {
                guard let id = codes.id(of: code) else { continue }
                bits[Int(id) / 64] |= 1 << UInt64(Int(id) % 64)
            }
        } else {
            for id in 0..<codes.count {
                let text = codes[CodeID(id)]
                if set.codes.contains(text) || set.prefixes.contains(where: { text.hasPrefix($0) }) {
                    bits[id / 64] |= 1 << UInt64(id % 64)
                }
            }
        }
        var columns: [BoundColumn] = []
        var drugKeys: [DrugKeyMap] = []
        var combinationKeys: [CombinationKeyMap] = []
        // In name order: `BoundColumn.position(of:in:)` is how lowered lookups find a column.
        for (_, values) in set.columns.sorted(by: { $0.key < $1.key }) {
            // A code listed under several values is a combination product: it keys on each of them
            // (its first value reads as the column's value).
            let distinct = Array(Set(values.values.flatMap { $0 })).sorted()
            let keyOf = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, Int32($0)) })
            var byID: [CodeID: String] = [:]
            var keys: [CodeID: Int32] = [:]
            var combinations: [CodeID: [Int32]] = [:]
            for (code, listed) in values {
                guard let id = codes.id(of: code), let value = listed.first, let key = keyOf[value] else { continue }
                byID[id] = value
                keys[id] = key
                var others: [Int32] = []
                for other in listed.dropFirst() {
                    if let otherKey = keyOf[other], otherKey != key, !others.contains(otherKey) { others.append(otherKey) }
                }
                if !others.isEmpty { combinations[id] = others }
            }
            let ids = byID.keys.sorted()
            columns.append(BoundColumn(ids: ids, values: ids.map { id in byID[id].map(Value.string) ?? .missing }))
            drugKeys.append(DrugKeyMap(keys))
            combinationKeys.append(CombinationKeyMap(combinations))
        }
        return BoundValueSet(name: set.name, source: copy, bits: bits, columns: columns, drugKeys: drugKeys,
                             combinationKeys: combinationKeys)
    }

    /// Evaluates every measure, contract and claim rule of the pack for one member.
    /// With `evidence`, each value lists the claims it was computed from: records whose fields it
    /// read (outside `where` conditions, which only select) and the fills behind any supply.
    public func evaluate(member history: MemberHistory, in records: RecordSet, evidence: Bool = false) -> MemberResult {
        evaluate(member: history, in: records, trackCoverage: false, evidence: evidence)
    }

    /// `globals` names defines and parameters whose values the caller wants too (a test's expect subjects);
    /// they are read in the same context, so a define computed by a block is not computed again.
    func evaluate(
        member history: MemberHistory, in records: RecordSet, trackCoverage: Bool, evidence: Bool = false,
        globals: [String] = []
    ) -> MemberResult {
        var context = MemberContext(
            program: program, bindings: bindings, records: records, member: Int(history.index), trackCoverage: trackCoverage)
        if evidence { context.collectEvidence() }
        return run(&context, globals: globals)
    }

    /// One member's results in a context already pointed at the member.
    func run(_ context: inout MemberContext, globals: [String] = []) -> MemberResult {
        var result = MemberResult(memberID: context.memberID, measures: [], contracts: [], claimRules: [], reached: [])
        run(&context, into: &result, globals: globals)
        return result
    }

    /// `run`, writing into a result of this plan from an earlier member (its arrays keep their storage).
    func run(_ context: inout MemberContext, into result: inout MemberResult, globals: [String] = []) {
        result.memberID = context.memberID
        // Blocks are read by index and empty lists left alone: copying a block or a list retains it.
        if !result.contracts.isEmpty { result.contracts.removeAll(keepingCapacity: true) }
        if !result.claimRules.isEmpty { result.claimRules.removeAll(keepingCapacity: true) }
        if !result.globals.isEmpty { result.globals.removeAll(keepingCapacity: true) }
        if result.measures.count != measures.count {
            result.measures = measures.map { MeasureOutcome(measure: $0.name, status: .notIncluded, values: [], evidence: []) }
        }
        for index in measures.indices {
            context.resetLocals()
            measures[index].run(&context, into: &result.measures[index])
        }
        for index in contracts.indices {
            context.resetLocals()
            result.contracts.append(contracts[index].run(&context, currency: currency))
        }
        for index in claimRules.indices {
            result.claimRules.append((claimRules[index].name, claimRules[index].run(&context)))
        }
        for name in globals {
            if let index = defineIndex[name] {
                result.globals[name] = context.define(index)
            } else if let index = parameterIndex[name] {
                result.globals[name] = bindings.parameters[index]
            }
        }
        if !context.reached.isEmpty || !result.reached.isEmpty { result.reached = context.reached }
    }

    /// An evaluator for many members of `records` in turn, reusing one context's storage (one per
    /// thread: it is not shared).
    public func evaluator(records: RecordSet, evidence: Bool = false) -> MemberEvaluator {
        MemberEvaluator(plan: self, records: records, evidence: evidence)
    }
}

/// Evaluates a plan for one member after another with one reused context: memo tables keep their
/// storage, and the record set is not copied per member.
public struct MemberEvaluator {
    let plan: EnginePlan
    let records: RecordSet
    let evidence: Bool
    /// Boxed so that evaluating borrows the context in place instead of moving it in and out.
    private var box: ContextBox?

    private final class ContextBox {
        var context: MemberContext
        init(_ context: MemberContext) { self.context = context }
    }

    init(plan: EnginePlan, records: RecordSet, evidence: Bool) {
        self.plan = plan
        self.records = records
        self.evidence = evidence
    }

    /// Same results as `EnginePlan.evaluate(member:in:evidence:)`.
    public mutating func evaluate(_ history: MemberHistory) -> MemberResult {
        evaluate(member: Int(history.index))
    }

    /// The member at `index` of the record set, without making its history (nothing retained).
    public mutating func evaluate(member index: Int) -> MemberResult {
        var result = MemberResult(memberID: "", measures: [], contracts: [], claimRules: [], reached: [])
        evaluate(member: index, into: &result)
        return result
    }

    /// `evaluate(member:)` into the result of an earlier member, reusing its storage (a caller that
    /// reads each result before the next keeps one per evaluator).
    public mutating func evaluate(member index: Int, into result: inout MemberResult) {
        if let box {
            box.context.begin(member: index)
            plan.run(&box.context, into: &result)
            return
        }
        var context = MemberContext(
            program: plan.program, bindings: plan.bindings, records: records, member: index, trackCoverage: false)
        if evidence { context.collectEvidence() }
        let created = ContextBox(context)
        box = created
        plan.run(&created.context, into: &result)
    }
}
