import RxAdherence
import RxLanguage
import RxRecords
import RxValues

/// Reads a field of a record reference, resolved once at lowering.
typealias FieldGetter = @Sendable (Value, inout MemberContext) -> Value

enum Fields {
    static func has(_ field: String, _ type: RuleType) -> Bool {
        switch type.unwrapped {
        case .record(let kind): RecordSchema.field(field, of: kind) != nil
        case .period: field == "start" || field == "end"
        default: false
        }
    }

    /// Applies a getter to a value, lifting over missing and projecting over lists.
    static func project(_ value: Value, _ getter: FieldGetter, _ context: inout MemberContext) -> Value {
        switch value {
        case .missing: return .missing
        case .list(let items): return .list(items.map { getter($0, &context) })
        default: return getter(value, &context)
        }
    }

    static func getter(for field: String, of type: RuleType, at range: SourceRange) throws(EngineError) -> FieldGetter {
        var base = type
        while true {
            if case .optional(let inner) = base { base = inner; continue }
            if case .list(let inner) = base { base = inner; continue }
            break
        }
        switch base {
        case .period:
            switch field {
            case "start": return { value, _ in value.periodValue.map { .date($0.start) } ?? .missing }
            case "end": return { value, _ in value.periodValue.map { .date($0.end) } ?? .missing }
            default: break
            }
        case .record(.fill): if let getter = fillGetter(field) { return getter }
        case .record(.medicalClaim): if let getter = medicalGetter(field) { return getter }
        case .record(.member): if let getter = memberGetter(field) { return getter }
        case .record(.enrollment): if let getter = enrollmentGetter(field) { return getter }
        case .record(.observation): if let getter = observationGetter(field) { return getter }
        case .record(.episode):
            switch field {
            case "start": return { value, _ in if case .episode(let e) = value { .date(e.start) } else { .missing } }
            case "end": return { value, _ in if case .episode(let e) = value { .date(e.end) } else { .missing } }
            case "days": return { value, _ in if case .episode(let e) = value { .days(e.days) } else { .missing } }
            case "period": return { value, _ in if case .episode(let e) = value { .period(Period(e.start, e.end)) } else { .missing } }
            default: break
            }
        case .record(.treatmentEpisode):
            switch field {
            case "number": return { value, _ in if case .treatmentEpisode(let e) = value { .int(e.number) } else { .missing } }
            case "start": return { value, _ in if case .treatmentEpisode(let e) = value { .date(e.start) } else { .missing } }
            case "end": return { value, _ in if case .treatmentEpisode(let e) = value { .date(e.endDay) } else { .missing } }
            case "duration":
                return { value, _ in
                    if case .treatmentEpisode(let e) = value { Builtins.cmaDecimal(e.duration).map(Value.decimal) ?? .missing } else { .missing }
                }
            case "end_gap": return { value, _ in if case .treatmentEpisode(let e) = value { .days(e.endGapDays) } else { .missing } }
            case "period":
                return { value, _ in if case .treatmentEpisode(let e) = value { .period(Period(e.start, e.endDay)) } else { .missing } }
            default: break
            }
        case .record(.cmaWindow):
            switch field {
            case "number": return { value, _ in if case .cmaWindow(let w) = value { .int(w.number) } else { .missing } }
            case "start": return { value, _ in if case .cmaWindow(let w) = value { .date(w.period.start) } else { .missing } }
            case "end": return { value, _ in if case .cmaWindow(let w) = value { .date(w.period.end) } else { .missing } }
            case "value": return { value, _ in if case .cmaWindow(let w) = value { w.value.map(Value.decimal) ?? .missing } else { .missing } }
            case "period": return { value, _ in if case .cmaWindow(let w) = value { .period(w.period) } else { .missing } }
            default: break
            }
        default: break
        }
        throw EngineError("the field \(field) of \(type) is not supported by the evaluator", at: range)
    }

    private static func optionalCode(_ id: CodeID, _ codes: CodeTable) -> Value {
        id < 0 ? .missing : .string(codes[id])
    }

    private static func fillGetter(_ field: String) -> FieldGetter? {
        func read(_ body: @escaping @Sendable (PharmacyClaim, inout MemberContext) -> Value) -> FieldGetter {
            { value, context in
                guard case .fill(let index) = value else { return .missing }
                context.note(RecordRef(kind: .fill, index: index))
                return body(context.records.fills[Int(index)], &context)
            }
        }
        switch field {
        case "claim_id": return read { claim, context in .string(context.records.claimID(of: claim)) }
        case "member_id": return read { _, context in .string(context.memberID) }
        case "fill_date": return read { claim, _ in .date(claim.fillDate) }
        case "ndc": return read { claim, _ in .code(claim.ndc) }
        case "days_supply": return read { claim, _ in .int(Int(claim.daysSupply)) }
        case "quantity": return read { claim, _ in .decimal(Rational(claim.quantity)) }
        case "paid_amount": return read { claim, _ in .money(claim.paidAmount) }
        case "patient_pay": return read { claim, _ in claim.patientPay.map(Value.money) ?? .missing }
        case "status": return read { claim, _ in .enumMember(claim.status.code) }
        case "rx_number": return read { claim, context in context.records.rxNumber(of: claim).map(Value.string) ?? .missing }
        case "fill_number": return read { claim, _ in claim.fillNumber < 0 ? .missing : .int(Int(claim.fillNumber)) }
        case "pharmacy_id": return read { claim, context in optionalCode(claim.pharmacy, context.records.codes) }
        case "prescriber_id": return read { claim, context in optionalCode(claim.prescriber, context.records.codes) }
        case "period": return read { claim, _ in .period(claim.supplyPeriod) }
        default: return nil
        }
    }

    private static func medicalGetter(_ field: String) -> FieldGetter? {
        func read(_ body: @escaping @Sendable (MedicalClaim, inout MemberContext) -> Value) -> FieldGetter {
            { value, context in
                guard case .medical(let index) = value else { return .missing }
                context.note(RecordRef(kind: .medical, index: index))
                return body(context.records.medicalClaims[Int(index)], &context)
            }
        }
        switch field {
        case "claim_id": return read { claim, _ in .string(claim.claimID) }
        case "from_date": return read { claim, _ in .date(claim.period.start) }
        case "thru_date": return read { claim, _ in .date(claim.period.end) }
        case "setting": return read { claim, _ in .enumMember(claim.setting.code) }
        case "dx": return read { claim, context in .list(context.records.diagnoses(of: claim).map(Value.code)) }
        case "principal_dx": return read { claim, context in context.records.diagnoses(of: claim).first.map(Value.code) ?? .missing }
        case "proc": return read { claim, context in .list(context.records.procedures(of: claim).map(Value.code)) }
        case "paid_amount": return read { claim, _ in claim.paidAmount.map(Value.money) ?? .missing }
        case "period": return read { claim, _ in .period(claim.period) }
        default: return nil
        }
    }

    private static func memberGetter(_ field: String) -> FieldGetter? {
        switch field {
        case "member_id": return { _, context in .string(context.memberID) }
        case "birth_date": return { _, context in context.member.map { .date($0.birthDate) } ?? .missing }
        case "sex": return { _, context in context.member.map { .enumMember($0.sex.code) } ?? .missing }
        case "death_date": return { _, context in context.member?.deathDate.map(Value.date) ?? .missing }
        default: return nil
        }
    }

    private static func enrollmentGetter(_ field: String) -> FieldGetter? {
        func read(_ body: @escaping @Sendable (Enrollment, inout MemberContext) -> Value) -> FieldGetter {
            { value, context in
                guard case .enrollment(let index) = value else { return .missing }
                return body(context.records.enrollments[Int(index)], &context)
            }
        }
        switch field {
        case "plan_id": return read { row, context in .string(context.records.codes[row.plan]) }
        case "start_date": return read { row, _ in .date(row.period.start) }
        case "end_date": return read { row, _ in .date(row.period.end) }
        case "period": return read { row, _ in .period(row.period) }
        default: return nil
        }
    }

    private static func observationGetter(_ field: String) -> FieldGetter? {
        func read(_ body: @escaping @Sendable (Observation, inout MemberContext) -> Value) -> FieldGetter {
            { value, context in
                guard case .observation(let index) = value else { return .missing }
                return body(context.records.observations[Int(index)], &context)
            }
        }
        switch field {
        case "date": return read { row, _ in .date(row.date) }
        case "code": return read { row, _ in .code(row.code) }
        case "value":
            return read { row, _ in
                if case .number(let number) = row.value { return .decimal(Rational(number)) }
                return .missing
            }
        case "text":
            return read { row, context in
                switch row.value {
                case .number(let number): return .string(number.description)
                case .text(let id): return .string(context.records.codes[id])
                }
            }
        case "unit": return read { row, context in optionalCode(row.unit, context.records.codes) }
        default: return nil
        }
    }
}
