/// One field of a record kind, as rules see it.
public struct RecordField: Sendable, Hashable {
    /// The field name rules write (`fill_date`).
    public let name: String
    /// Its type; optional fields are `T?`.
    public let type: RuleType
    /// One line for `--help`-style listings and did-you-mean notes.
    public let summary: String

    public init(_ name: String, _ type: RuleType, _ summary: String) {
        self.name = name
        self.type = type
        self.summary = summary
    }
}

/// The fields of every record kind, following the canonical input records of the data model.
///
/// Fill, MedicalClaim and Enrollment also expose `period`, the days the record spans, so that
/// `overlaps(p)` inside a `where` has one meaning for all of them.
public enum RecordSchema {
    /// The fields of `kind`, in data-model order.
    public static func fields(of kind: RecordKind) -> [RecordField] {
        allFields[kind] ?? []
    }

    /// The field named `name` of `kind`, if any.
    public static func field(_ name: String, of kind: RecordKind) -> RecordField? {
        fieldIndex[kind]?[name]
    }

    private static let allFields: [RecordKind: [RecordField]] = Dictionary(
        uniqueKeysWithValues: RecordKind.allCases.map { ($0, declaredFields(of: $0)) })

    private static let fieldIndex: [RecordKind: [String: RecordField]] = allFields.mapValues { fields in
        Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    private static func declaredFields(of kind: RecordKind) -> [RecordField] {
        switch kind {
        case .member:
            [
                RecordField("member_id", .string, "stable person id"),
                RecordField("birth_date", .date, "date of birth"),
                RecordField("sex", .enumeration(.sex), "F, M or U"),
                RecordField("death_date", .optional(.date), "date of death, missing when alive"),
            ]
        case .enrollment:
            [
                RecordField("plan_id", .string, "benefit plan or product"),
                RecordField("start_date", .date, "first covered day"),
                RecordField("end_date", .date, "last covered day (inclusive)"),
                RecordField("period", .period, "start_date .. end_date"),
            ]
        case .fill:
            [
                RecordField("claim_id", .string, "transaction id"),
                RecordField("member_id", .string, "member id"),
                RecordField("fill_date", .date, "date of service"),
                RecordField("ndc", .code, "11-digit NDC"),
                RecordField("days_supply", .int, "days supplied, 1..365"),
                RecordField("quantity", .decimal, "quantity dispensed"),
                RecordField("paid_amount", .money, "what the plan paid"),
                RecordField("patient_pay", .optional(.money), "what the patient paid"),
                RecordField("status", .enumeration(.status), "paid or reversed"),
                RecordField("rx_number", .optional(.string), "prescription number"),
                RecordField("fill_number", .optional(.int), "0 = original fill, 1.. = refills"),
                RecordField("pharmacy_id", .optional(.string), "dispensing pharmacy"),
                RecordField("prescriber_id", .optional(.string), "prescriber"),
                RecordField("period", .period, "fill_date .. fill_date + days_supply - 1"),
            ]
        case .medicalClaim:
            [
                RecordField("claim_id", .string, "claim id"),
                RecordField("from_date", .date, "first day of service"),
                RecordField("thru_date", .date, "last day of service (inclusive)"),
                RecordField("setting", .enumeration(.setting), "inpatient, snf, hospice, outpatient, er or professional"),
                RecordField("dx", .list(.code), "ICD-10-CM diagnosis codes, principal first"),
                RecordField("principal_dx", .optional(.code), "the first diagnosis code"),
                RecordField("proc", .list(.code), "CPT, HCPCS or ICD-10-PCS procedure codes"),
                RecordField("paid_amount", .optional(.money), "what the plan paid"),
                RecordField("period", .period, "from_date .. thru_date"),
            ]
        case .observation:
            [
                RecordField("date", .date, "date of the result"),
                RecordField("code", .code, "LOINC or pack-defined local code"),
                RecordField("value", .optional(.decimal), "numeric result, missing when not a number"),
                RecordField("text", .string, "the result as written (e.g. PD)"),
                RecordField("unit", .optional(.string), "unit of the result"),
            ]
        case .episode:
            [
                RecordField("start", .date, "first day of the episode"),
                RecordField("end", .date, "last covered day of the episode"),
                RecordField("days", .days, "days from start to end, gaps inside included"),
                RecordField("period", .period, "start .. end"),
            ]
        case .treatmentEpisode:
            [
                RecordField("number", .int, "1 for the patient's first episode, then 2, 3, ..."),
                RecordField("start", .date, "date of the episode's first event"),
                RecordField("end", .date, "the day the supply ran out, or the follow-up end (AdhereR's episode.end)"),
                RecordField("duration", .decimal, "end - start in days (fractional with dose rescaling)"),
                RecordField("end_gap", .days, "gap after the episode's last event, whole days (end.episode.gap.days)"),
                RecordField("period", .period, "start .. end"),
            ]
        case .cmaWindow:
            [
                RecordField("number", .int, "the episode's or the sliding window's number"),
                RecordField("start", .date, "first day of the window"),
                RecordField("end", .date, "last day of the window"),
                RecordField("value", .optional(.decimal), "the CMA, missing when AdhereR gives NA, Inf or NaN"),
                RecordField("period", .period, "start .. end"),
            ]
        }
    }

    /// The fields of a period (`measurement_period.end`).
    public static let periodFields: [RecordField] = [
        RecordField("start", .date, "first day"),
        RecordField("end", .date, "last day (inclusive)"),
    ]

    /// The record lists every pack sees by name, and the single member record.
    public static let roots: [(name: String, type: RuleType)] = [
        ("fills", .list(.record(.fill))),
        ("medical", .list(.record(.medicalClaim))),
        ("observations", .list(.record(.observation))),
        ("enrollment", .list(.record(.enrollment))),
        ("member", .record(.member)),
    ]
}
