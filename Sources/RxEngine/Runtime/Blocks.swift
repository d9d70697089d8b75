import RxLanguage
import RxRecords
import RxValues

/// A condition holds only when it is `true`; a missing condition does not hold.
@inline(__always) func holds(_ value: Value) -> Bool {
    if case .bool(true) = value { return true }
    return false
}

/// A class: a struct read from the plan's array was copied (a retain per closure) for every member.
final class CompiledMeasure: Sendable {
    let name: String
    let includes: [(condition: Code, point: Int)]
    let excludes: [(reason: String, condition: Code, point: Int)]
    let values: [(name: String, slot: Int, point: Int)]
    let rowPoint: Int
    /// `for each name in list`: the list and the local slot the current element is bound to.
    let forEach: (list: Code, slot: Int, point: Int)?

    init(_ declaration: MeasureDeclaration, _ lowering: inout Lowering) throws(EngineError) {
        let name = declaration.name.name
        self.name = name
        lowering.currentBlock = "measure \(name)"
        rowPoint = lowering.point("a member in the denominator", declaration.name.range)
        var includes: [(condition: Code, point: Int)] = []
        var excludes: [(reason: String, condition: Code, point: Int)] = []
        var values: [(name: String, slot: Int, point: Int)] = []
        var forEach: (list: Code, slot: Int, point: Int)?
        for clause in declaration.clauses {
            switch clause.kind {
            case .include(let condition):
                includes.append((Code(try lowering.compile(condition)), lowering.point("include when", clause.range)))
            case .exclude(let reason, let condition):
                let text = reason?.value ?? "excluded"
                excludes.append((text, Code(try lowering.compile(condition)), lowering.point("exclude \"\(text)\"", clause.range)))
            case .value(let valueName, let expr):
                let slot = lowering.localSlot(block: name, name: valueName.name)
                lowering.locals[slot] = Code(try lowering.compile(expr))
                values.append((valueName.name, slot, lowering.point("value \(valueName.name)", clause.range)))
            case .forEach(let rowName, let list):
                let slot = lowering.localSlot(block: name, name: rowName.name)
                // Bound per row by `run` before any value reads it.
                lowering.locals[slot] = Code { _ in .missing }
                forEach = (Code(try lowering.compile(list)), slot, lowering.point("for each \(rowName.name)", clause.range))
            }
        }
        self.includes = includes
        self.excludes = excludes
        self.values = values
        self.forEach = forEach
    }

    func run(_ context: inout MemberContext) -> MeasureOutcome {
        var outcome = MeasureOutcome(measure: name, status: .notIncluded, values: [], evidence: [])
        run(&context, into: &outcome)
        return outcome
    }

    /// `run`, writing into an outcome of this measure from an earlier member: its arrays keep their
    /// storage, so a member's row allocates nothing.
    func run(_ context: inout MemberContext, into outcome: inout MeasureOutcome) {
        if !outcome.evidence.isEmpty { outcome.evidence.removeAll(keepingCapacity: true) }
        outcome.rows = nil
        // Clauses are read in place by index: copying one out of its array retains its closure.
        for index in includes.indices {
            guard holds(includes[index].condition(&context)) else {
                outcome.status = .notIncluded
                if !outcome.values.isEmpty { outcome.values.removeAll(keepingCapacity: true) }
                return
            }
            context.mark(includes[index].point)
        }
        for index in excludes.indices where holds(excludes[index].condition(&context)) {
            context.mark(excludes[index].point)
            outcome.status = .excluded(reason: excludes[index].reason)
            if !outcome.values.isEmpty { outcome.values.removeAll(keepingCapacity: true) }
            return
        }
        context.mark(rowPoint)
        outcome.status = .included
        if let forEach {
            outcome = runRows(forEach, &context)
            return
        }
        // The previous member's row of this measure has the same names: only the values change.
        let overwrites = outcome.values.count == values.count
        if !overwrites {
            outcome.values.removeAll(keepingCapacity: true)
            outcome.values.reserveCapacity(values.count)
        }
        for index in values.indices {
            context.mark(values[index].point)
            let computed = context.local(values[index].slot)
            if overwrites {
                outcome.values[index].value = computed
            } else {
                outcome.values.append((values[index].name, computed))
            }
            if context.evidence != nil {
                outcome.evidence.append(RecordRef.compact(context.evidence(ofLocal: values[index].slot) + computed.records))
            }
        }
    }

    /// One row per element of the `for each` list (none when it is missing), values computed afresh for each.
    private func runRows(_ forEach: (list: Code, slot: Int, point: Int), _ context: inout MemberContext) -> MeasureOutcome {
        let (list, found) = context.withEvidence(forEach.list.run)
        var rows: [[(name: String, value: Value)]] = []
        guard case .list(let elements) = list else {
            return MeasureOutcome(measure: name, status: .included, values: [], evidence: [], rows: rows)
        }
        rows.reserveCapacity(elements.count)
        for element in elements {
            context.mark(forEach.point)
            context.resetLocals()
            context.setLocal(forEach.slot, element, evidence: found)
            var row: [(name: String, value: Value)] = []
            row.reserveCapacity(values.count)
            for value in values {
                context.mark(value.point)
                row.append((value.name, context.local(value.slot)))
            }
            rows.append(row)
        }
        return MeasureOutcome(measure: name, status: .included, values: [], evidence: [], rows: rows)
    }
}

/// A class for the same reason as `CompiledMeasure`.
final class CompiledContract: Sendable {
    let name: String
    /// The local holding `eligible` (computed once per member, like every output).
    let eligibleSlot: Int?
    /// Outputs in declaration order: eligible, gates, events, payout.
    let outputs: [(name: String, slot: Int, point: Int)]
    let payoutCondition: Eval?
    let payoutAmount: Eval?
    let payoutPoint: Int
    let zeroPoint: Int
    let windowSlot: Int?

    init(_ declaration: ContractDeclaration, _ lowering: inout Lowering) throws(EngineError) {
        let name = declaration.name.name
        self.name = name
        lowering.currentBlock = "contract \(name)"
        var eligibleSlot: Int?, windowSlot: Int?
        var outputs: [(name: String, slot: Int, point: Int)] = []
        var payoutCondition: Eval?, payoutAmount: Eval?
        var payoutPoint = 0, zeroPoint = 0
        for clause in declaration.clauses {
            switch clause.kind {
            case .window(let expr):
                let slot = lowering.localSlot(block: name, name: "window")
                lowering.locals[slot] = Code(try lowering.compile(expr))
                windowSlot = slot
            case .eligible(let condition):
                let compiled = try lowering.compile(condition)
                let slot = lowering.localSlot(block: name, name: "eligible")
                lowering.locals[slot] = Code { context in .bool(holds(compiled(&context))) }
                eligibleSlot = slot
                outputs.append(("eligible", slot, lowering.point("eligible", clause.range)))
            case .gate(let gateName, let condition):
                let compiled = try lowering.compile(condition)
                let slot = lowering.localSlot(block: name, name: gateName.name)
                lowering.locals[slot] = Code { context in .bool(holds(compiled(&context))) }
                outputs.append((gateName.name, slot, lowering.point("gate \(gateName.name)", clause.range)))
            case .event(let eventName, let expr):
                let slot = lowering.localSlot(block: name, name: eventName.name)
                lowering.locals[slot] = Code(try lowering.compile(expr))
                outputs.append((eventName.name, slot, lowering.point("event \(eventName.name)", clause.range)))
            case .let(let letName, let expr):
                let slot = lowering.localSlot(block: name, name: letName.name)
                lowering.locals[slot] = Code(try lowering.compile(expr))
            case .payout(let condition, let amount):
                payoutCondition = try condition.map { expr throws(EngineError) in try lowering.compile(expr) }
                payoutAmount = try lowering.compile(amount)
                payoutPoint = lowering.point("payout paid", clause.range)
                zeroPoint = lowering.point("payout 0.00", clause.range)
            }
        }
        self.eligibleSlot = eligibleSlot
        self.outputs = outputs
        self.payoutCondition = payoutCondition
        self.payoutAmount = payoutAmount
        self.payoutPoint = payoutPoint
        self.zeroPoint = zeroPoint
        self.windowSlot = windowSlot
    }

    /// `payout when C = E` gives E when the member is eligible and C holds, else 0.00 in the pack
    /// currency; a missing amount also pays 0.00.
    func run(_ context: inout MemberContext, currency: String) -> ContractOutcome {
        var row: [(name: String, value: Value)] = []
        var evidence: [[RecordRef]] = []
        let tracking = context.evidence != nil
        for output in outputs {
            context.mark(output.point)
            let computed = context.local(output.slot)
            row.append((output.name, computed))
            if tracking { evidence.append(RecordRef.compact(context.evidence(ofLocal: output.slot) + computed.records)) }
        }
        var payout = Value.money(ExactDecimal(units: 0, scale: 2))
        var payoutEvidence: [RecordRef] = []
        let isEligible = eligibleSlot.map { holds(context.local($0)) } ?? true
        if isEligible, payoutCondition.map({ holds($0(&context)) }) ?? true, let payoutAmount {
            let (amount, found) = context.withEvidence(payoutAmount)
            if case .money = amount {
                payout = amount
                payoutEvidence = found
                context.mark(payoutPoint)
            } else {
                context.mark(zeroPoint)
            }
        } else {
            context.mark(zeroPoint)
        }
        row.append(("payout", payout))
        if tracking { evidence.append(payoutEvidence) }
        var windowStart: Day?
        if let windowSlot, case .period(let window) = context.local(windowSlot) { windowStart = window.start }
        return ContractOutcome(contract: name, outputs: row, evidence: evidence, windowStart: windowStart)
    }
}

/// A class for the same reason as `CompiledMeasure`.
final class CompiledClaimRule: Sendable {
    struct Reject: Sendable {
        var code: String
        var message: String?
        var condition: Code
        var nextFill: Eval?
        var point: Int
    }

    let name: String
    let selection: Eval?
    let rejects: [Reject]
    let payPoint: Int

    init(_ declaration: ClaimRuleDeclaration, _ lowering: inout Lowering) throws(EngineError) {
        let name = declaration.name.name
        self.name = name
        lowering.currentBlock = "claim rule \(name)"
        payPoint = lowering.point("a claim that pays", declaration.name.range)
        var selection: Eval?
        var rejects: [Reject] = []
        for clause in declaration.clauses {
            switch clause.kind {
            case .for(let expr): selection = try lowering.compile(expr)
            case .codes: break
            case .let(let letName, let expr):
                let slot = lowering.localSlot(block: name, name: letName.name)
                lowering.locals[slot] = Code(try lowering.compile(expr))
            case .reject(let code, let message, let condition):
                rejects.append(Reject(
                    code: code.text, message: message?.value, condition: Code(try lowering.compile(condition)), nextFill: nil,
                    point: lowering.point("reject \(code.text)", clause.range)))
            case .nextFill(let expr):
                guard !rejects.isEmpty else { continue }
                rejects[rejects.count - 1].nextFill = try lowering.compile(expr)
            }
        }
        self.selection = selection
        self.rejects = rejects
    }

    /// Once per selected paid claim in date order (then claim id), against the earlier paid claims.
    func run(_ context: inout MemberContext) -> [ClaimDecision] {
        guard case .list(let all) = context.fills() else { return [] }
        let selected: [Value]
        if let selection, case .list(let chosen) = selection(&context) { selected = chosen } else { selected = all }
        var decisions: [ClaimDecision] = []
        var position = 0
        for claim in selected {
            guard case .fill(let index) = claim else { continue }
            while position < all.count, all[position] != claim { position += 1 }
            context.resetLocals()
            context.setClaim(claim, historyCount: position)
            var findings: [RejectFinding] = []
            for reject in rejects where holds(reject.condition(&context)) {
                context.mark(reject.point)
                findings.append(RejectFinding(code: reject.code, message: reject.message, nextFill: reject.nextFill?(&context).dayValue))
            }
            if findings.isEmpty { context.mark(payPoint) }
            let record = context.records.fills[Int(index)]
            decisions.append(ClaimDecision(claimIndex: index, claimID: context.records.claimID(of: record), fillDate: record.fillDate, rejects: findings))
        }
        context.setClaim(.missing, historyCount: 0)
        return decisions
    }
}
