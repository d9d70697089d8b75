import RxLanguage
import RxRecords

extension Lowering {
    /// `x in set` (or `not in`) where `set` names a value set: a bit test on the code id, without
    /// evaluating the set operand or going through the general `Compare.member`. `dx in set` inside
    /// a `where` over medical claims tests the claim's code ids in place, without building a list
    /// of codes per claim. Nil when the right side is not a value-set name (the general path).
    mutating func compileValueSetMembership(_ op: BinaryOperator, _ left: Expr, _ right: Expr) throws(EngineError) -> Eval? {
        guard op == .in || op == .notIn, case .valueSet(let setName)? = pack.resolutions[right.range],
              let setIndex = valueSetIndex[setName] else { return nil }
        let negate = op == .notIn
        if case .elementField("dx")? = pack.resolutions[left.range],
           let depth = elementTypes.lastIndex(where: { Fields.has("dx", $0) }),
           case .record(.medicalClaim) = elementTypes[depth].unwrapped {
            return { context in
                guard case .medical(let index) = context.elements[depth] else { return .missing }
                context.note(RecordRef(kind: .medical, index: index))
                let set = context.bindings.valueSets[setIndex]
                let claim = context.records.medicalClaims[Int(index)]
                let found = context.records.diagnoses(of: claim).contains { set.contains($0) }
                return .bool(found != negate)
            }
        }
        let lhs = try compile(left)
        return { context in
            let value = lhs(&context)
            switch value {
            case .code(let id): return .bool(context.bindings.valueSets[setIndex].contains(id) != negate)
            case .missing: return .missing
            default:
                guard let found = Compare.member(
                    value, of: .valueSet(setIndex), valueSets: context.bindings.valueSets, codes: context.records.codes)
                else { return .missing }
                return .bool(found != negate)
            }
        }
    }
}
