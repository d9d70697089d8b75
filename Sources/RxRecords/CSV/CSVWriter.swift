/// RFC 4180 output helpers.
public enum CSVWriter {
    /// The field as written in CSV: quoted (with doubled quotes) only when it holds `,`, `"`, CR or LF.
    public static func quoteIfNeeded(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 })
        else { return field }
        var out = "\""
        for character in field {
            if character == "\"" { out += "\"\"" } else { out.append(character) }
        }
        return out + "\""
    }

    /// One CSV line (with LF) from fields.
    public static func line(_ fields: [String]) -> String {
        fields.map(quoteIfNeeded).joined(separator: ",") + "\n"
    }
}

/// Turns records back into canonical field texts (empty string = absent field).
struct RecordFormatter {
    var memberID: (MemberIndex) -> String
    var code: (CodeID) -> String
    var pool: (Range<Int>) -> [CodeID]
    var claimID: (PharmacyClaim) -> String
    var rxNumber: (PharmacyClaim) -> String

    private func optional(_ id: CodeID) -> String { id < 0 ? "" : code(id) }

    func fields(_ m: Member) -> [String] {
        [m.memberID, m.birthDate.description, m.sex.code, m.deathDate?.description ?? ""]
    }

    func fields(_ e: Enrollment) -> [String] {
        [memberID(e.member), code(e.plan), e.period.start.description, e.period.end.description]
    }

    func fields(_ c: PharmacyClaim) -> [String] {
        [claimID(c), memberID(c.member), c.fillDate.description, code(c.ndc), String(c.daysSupply), c.quantity.description,
         c.paidAmount.description, c.patientPay?.description ?? "", c.status.code, rxNumber(c),
         c.fillNumber < 0 ? "" : String(c.fillNumber), optional(c.pharmacy), optional(c.prescriber)]
    }

    func fields(_ c: MedicalClaim) -> [String] {
        [c.claimID, memberID(c.member), c.period.start.description, c.period.end.description, c.setting.code,
         pool(c.diagnosisRange).map(code).joined(separator: "|"), pool(c.procedureRange).map(code).joined(separator: "|"),
         c.paidAmount?.description ?? ""]
    }

    func fields(_ o: Observation) -> [String] {
        let value: String
        switch o.value {
        case .number(let number): value = number.description
        case .text(let id): value = code(id)
        }
        return [memberID(o.member), o.date.description, code(o.code), value, optional(o.unit)]
    }

    /// Canonical fields whose NDJSON value is written as a JSON number.
    static func isNumeric(_ kind: RecordKind, field: String) -> Bool {
        switch kind {
        case .pharmacyClaims: ["days_supply", "quantity", "paid_amount", "patient_pay", "fill_number"].contains(field)
        case .medicalClaims: field == "paid_amount"
        default: false
        }
    }

    /// One NDJSON line (with LF); absent fields are left out.
    static func ndjsonLine(_ kind: RecordKind, _ values: [String], numericValue: Bool = false) -> String {
        var parts: [String] = []
        for (name, value) in zip(kind.fields, values) where !value.isEmpty {
            let numeric = isNumeric(kind, field: name) || (kind == .observations && name == "value" && numericValue)
            parts.append(JSONText.quoted(name) + ":" + (numeric ? value : JSONText.quoted(value)))
        }
        return "{" + parts.joined(separator: ",") + "}\n"
    }
}

/// Writes a record set back out in the canonical layout, as CSV or NDJSON.
public enum CanonicalWriter {
    public enum Format: Sendable { case csv, ndjson }

    static func formatter(_ set: RecordSet) -> RecordFormatter {
        RecordFormatter(memberID: { set.memberIDs[Int($0)] }, code: { set.codes[$0] }, pool: { Array(set.codePool[$0]) },
                        claimID: { set.claimID(of: $0) }, rxNumber: { set.rxNumber(of: $0) ?? "" })
    }

    /// The text of one canonical file (header included for CSV), records in grouped order.
    public static func text(_ set: RecordSet, kind: RecordKind, format: Format) -> String {
        let formatter = formatter(set)
        var out = format == .csv ? CSVWriter.line(kind.fields) : ""
        func emit(_ values: [String], numeric: Bool = false) {
            out += format == .csv ? CSVWriter.line(values) : RecordFormatter.ndjsonLine(kind, values, numericValue: numeric)
        }
        switch kind {
        case .members: for case let member? in set.members { emit(formatter.fields(member)) }
        case .enrollment: for e in set.enrollments { emit(formatter.fields(e)) }
        case .pharmacyClaims: for c in set.fills { emit(formatter.fields(c)) }
        case .medicalClaims: for c in set.medicalClaims { emit(formatter.fields(c)) }
        case .observations:
            for o in set.observations {
                if case .number = o.value { emit(formatter.fields(o), numeric: true) } else { emit(formatter.fields(o)) }
            }
        }
        return out
    }

    /// Writes the five canonical files into `directory` (which must exist).
    public static func write(_ set: RecordSet, to directory: String, format: Format) throws {
        for kind in RecordKind.allCases {
            let name = kind.fileStem + (format == .csv ? ".csv" : ".ndjson")
            try FileOutput.write(text(set, kind: kind, format: format), to: directory + "/" + name)
        }
    }
}
