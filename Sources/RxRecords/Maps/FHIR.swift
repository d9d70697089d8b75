/// FHIR R4 Bulk Data resources to canonical fields (CARIN Blue Button profiles for claims).
///
/// Choices: references `Patient/123` become member id `123`; datetimes keep their date part;
/// a MedicationDispense carries no payment, so its paid_amount is 0 (costs come from pharmacy EOBs);
/// an NDC is taken from a coding with system `http://hl7.org/fhir/sid/ndc`; a coded observation
/// value is its text or display (`Negative`), falling back to the code.
enum FHIR {
    static let ndcSystem = "http://hl7.org/fhir/sid/ndc"
    static let loincSystem = "http://loinc.org"

    /// The outcome of mapping one resource.
    enum Mapped {
        case record(RecordKind, [String: String])
        /// A resource that maps to a kind but breaks the contract (e.g. a cancelled dispense).
        case reject(RecordKind, field: String, reason: String)
        /// A resource type no record kind uses (reported as a reject so nothing vanishes).
        case unsupported(String)
    }

    static func map(_ resource: JSONValue) -> Mapped {
        guard case .string(let type)? = resource["resourceType"] else { return .unsupported("no resourceType") }
        switch type {
        case "Patient": return patient(resource)
        case "Coverage": return coverage(resource)
        case "MedicationDispense": return dispense(resource)
        case "ExplanationOfBenefit": return explanationOfBenefit(resource)
        case "Observation": return observation(resource)
        default: return .unsupported(type)
        }
    }

    static func reference(_ value: JSONValue?) -> String? {
        guard let text = value?["reference"]?.text else { return nil }
        if let slash = text.lastIndex(of: "/") { return String(text[text.index(after: slash)...]) }
        return text
    }

    static func datePart(_ text: String?) -> String? { text.map { String($0.prefix(10)) } }

    /// Codes of a CodeableConcept, preferring `system` when given.
    static func code(_ concept: JSONValue?, system: String? = nil) -> String? {
        let codings = concept?["coding"]?.elements ?? []
        if let system, let match = codings.first(where: { $0["system"]?.text == system }) { return match["code"]?.text }
        return codings.first?["code"]?.text
    }

    static func hasCode(_ concept: JSONValue?, _ code: String) -> Bool {
        (concept?["coding"]?.elements ?? []).contains { $0["code"]?.text == code }
    }

    private static func patient(_ r: JSONValue) -> Mapped {
        var fields: [String: String] = [:]
        fields["member_id"] = r["id"]?.text
        fields["birth_date"] = r["birthDate"]?.text
        switch r["gender"]?.text {
        case "female": fields["sex"] = "F"
        case "male": fields["sex"] = "M"
        case "other", "unknown": fields["sex"] = "U"
        case let other?: fields["sex"] = other
        case nil: break
        }
        fields["death_date"] = datePart(r["deceasedDateTime"]?.text)
        return .record(.members, fields)
    }

    private static func coverage(_ r: JSONValue) -> Mapped {
        var fields: [String: String] = [:]
        fields["member_id"] = reference(r["beneficiary"])
        let classes = r["class"]?.elements ?? []
        let plan = classes.first { hasCode($0["type"], "plan") } ?? classes.first
        fields["plan_id"] = plan?["value"]?.text
        fields["start_date"] = datePart(r["period"]?["start"]?.text)
        fields["end_date"] = datePart(r["period"]?["end"]?.text)
        if let status = r["status"]?.text, status != "active" {
            return .reject(.enrollment, field: "status", reason: "coverage status '\(status)' is not active")
        }
        return .record(.enrollment, fields)
    }

    private static func dispense(_ r: JSONValue) -> Mapped {
        let status = r["status"]?.text ?? ""
        guard status == "completed" else {
            return .reject(.pharmacyClaims, field: "status", reason: "MedicationDispense status '\(status)' is not completed")
        }
        var fields: [String: String] = [:]
        fields["claim_id"] = r["id"]?.text
        fields["member_id"] = reference(r["subject"])
        fields["fill_date"] = datePart(r["whenHandedOver"]?.text)
        fields["ndc"] = code(r["medicationCodeableConcept"], system: ndcSystem)
        fields["days_supply"] = r["daysSupply"]?["value"]?.text
        fields["quantity"] = r["quantity"]?["value"]?.text
        fields["paid_amount"] = "0"
        fields["prescriber_id"] = reference(r["performer"]?.elements.first?["actor"])
        return .record(.pharmacyClaims, fields)
    }

    /// Amount of the adjudication entry whose category has `code`, from the first item or the totals.
    private static func adjudication(_ r: JSONValue, _ category: String) -> String? {
        let entries = (r["item"]?.elements.first?["adjudication"]?.elements ?? []) + (r["total"]?.elements ?? [])
        return entries.first { hasCode($0["category"], category) }?["amount"]?["value"]?.text
    }

    private static func explanationOfBenefit(_ r: JSONValue) -> Mapped {
        let isPharmacy = hasCode(r["type"], "pharmacy")
        let kind: RecordKind = isPharmacy ? .pharmacyClaims : .medicalClaims
        let status = r["status"]?.text ?? ""
        guard status == "active" else {
            return .reject(kind, field: "status", reason: "ExplanationOfBenefit status '\(status)' is not active")
        }
        var fields: [String: String] = [:]
        fields["claim_id"] = r["id"]?.text
        fields["member_id"] = reference(r["patient"])
        let item = r["item"]?.elements.first
        if isPharmacy {
            fields["ndc"] = code(item?["productOrService"], system: ndcSystem)
            fields["fill_date"] = datePart(item?["servicedDate"]?.text ?? r["billablePeriod"]?["start"]?.text)
            fields["quantity"] = item?["quantity"]?["value"]?.text
            let supporting = r["supportingInfo"]?.elements ?? []
            fields["days_supply"] = supporting.first { hasCode($0["category"], "dayssupply") }?["valueQuantity"]?["value"]?.text
            fields["fill_number"] = supporting.first { hasCode($0["category"], "refillnum") }?["valueQuantity"]?["value"]?.text
            fields["paid_amount"] = adjudication(r, "paidtoprovider")
            fields["patient_pay"] = adjudication(r, "paidbypatient")
            return .record(.pharmacyClaims, fields)
        }
        let institutional = hasCode(r["type"], "institutional")
        if institutional {
            if hasCode(r["subType"], "inpatient") { fields["setting"] = "inpatient" }
            else if hasCode(r["subType"], "outpatient") { fields["setting"] = "outpatient" }
            else { fields["setting"] = code(r["subType"]) ?? "" }
        } else if hasCode(r["type"], "professional") {
            fields["setting"] = "professional"
        } else {
            fields["setting"] = code(r["type"]) ?? ""
        }
        fields["from_date"] = datePart(r["billablePeriod"]?["start"]?.text)
        fields["thru_date"] = datePart(r["billablePeriod"]?["end"]?.text)
        let diagnoses = (r["diagnosis"]?.elements ?? []).enumerated().map { offset, entry -> (Int, Int, String?) in
            let principal = (entry["type"]?.elements ?? []).contains { hasCode($0, "principal") }
            let sequence = Int(entry["sequence"]?.text ?? "") ?? offset
            return (principal ? 0 : 1, sequence, code(entry["diagnosisCodeableConcept"]))
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        let dx = diagnoses.compactMap(\.2)
        if !dx.isEmpty { fields["dx_codes"] = dx.joined(separator: "|") }
        let procedures = (r["procedure"]?.elements ?? []).compactMap { code($0["procedureCodeableConcept"]) }
        if !procedures.isEmpty { fields["proc_codes"] = procedures.joined(separator: "|") }
        fields["paid_amount"] = r["payment"]?["amount"]?["value"]?.text ?? adjudication(r, "paidtoprovider")
        return .record(.medicalClaims, fields)
    }

    private static func observation(_ r: JSONValue) -> Mapped {
        if let status = r["status"]?.text, status == "cancelled" || status == "entered-in-error" {
            return .reject(.observations, field: "status", reason: "Observation status '\(status)'")
        }
        var fields: [String: String] = [:]
        fields["member_id"] = reference(r["subject"])
        fields["date"] = datePart(r["effectiveDateTime"]?.text ?? r["effectivePeriod"]?["start"]?.text)
        fields["code"] = code(r["code"], system: loincSystem)
        if let quantity = r["valueQuantity"] {
            fields["value"] = quantity["value"]?.text
            fields["unit"] = quantity["unit"]?.text ?? quantity["code"]?.text
        } else if let concept = r["valueCodeableConcept"] {
            // A coded result is kept as words ("Negative"), never as a code that could read as a number.
            fields["value"] = concept["text"]?.text ?? concept["coding"]?.elements.first?["display"]?.text ?? code(concept)
        } else {
            fields["value"] = r["valueString"]?.text
        }
        return .record(.observations, fields)
    }
}
