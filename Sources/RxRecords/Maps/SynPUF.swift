/// The CMS DE-SynPUF layout (2008–2010 synthetic Medicare claims).
///
/// Choices: plan paid for a drug event is `TOT_RX_CST_AMT − PTNT_PAY_AMT` (the files have no plan-paid
/// column); ICD-9 codes are kept as codes; setting comes from the file (inpatient, outpatient,
/// carrier = professional); only `SEGMENT` 1 rows are kept (segment 2 continues the same claim, counted
/// as skipped); carrier paid is the sum of `LINE_NCH_PMT_AMT_1...13`; a beneficiary appearing in
/// several yearly summary files is merged (a death date from any year is kept).
public enum SynPUF {
    static func numbered(_ prefix: String, _ range: ClosedRange<Int>) -> [String] { range.map { "\(prefix)\($0)" } }

    /// The kind, rules and row filter for a DE-SynPUF file name, or nil when the name is not one.
    static func layout(forFileName name: String) -> (RecordKind, [String: FieldRule], (String, String)?)? {
        let lower = name.lowercased()
        if lower.contains("beneficiary_summary") {
            return (.members, [
                "member_id": .column("DESYNPUF_ID"),
                "birth_date": .column("BENE_BIRTH_DT"),
                "sex": .translate("BENE_SEX_IDENT_CD", ["1": "M", "2": "F"]),
                "death_date": .column("BENE_DEATH_DT"),
            ], nil)
        }
        if lower.contains("prescription_drug_events") {
            return (.pharmacyClaims, [
                "claim_id": .column("PDE_ID"),
                "member_id": .column("DESYNPUF_ID"),
                "fill_date": .column("SRVC_DT"),
                "ndc": .column("PROD_SRVC_ID"),
                "days_supply": .column("DAYS_SUPLY_NUM"),
                "quantity": .column("QTY_DSPNSD_NUM"),
                "paid_amount": .difference("TOT_RX_CST_AMT", "PTNT_PAY_AMT"),
                "patient_pay": .column("PTNT_PAY_AMT"),
            ], nil)
        }
        let institutional: [String: FieldRule] = [
            "claim_id": .column("CLM_ID"),
            "member_id": .column("DESYNPUF_ID"),
            "from_date": .column("CLM_FROM_DT"),
            "thru_date": .column("CLM_THRU_DT"),
            "dx_codes": .join(numbered("ICD9_DGNS_CD_", 1...10)),
            "proc_codes": .join(numbered("ICD9_PRCDR_CD_", 1...6) + numbered("HCPCS_CD_", 1...45)),
            "paid_amount": .column("CLM_PMT_AMT"),
        ]
        if lower.contains("inpatient_claims") {
            return (.medicalClaims, institutional.merging(["setting": .constant("inpatient")]) { $1 }, ("SEGMENT", "1"))
        }
        if lower.contains("outpatient_claims") {
            return (.medicalClaims, institutional.merging(["setting": .constant("outpatient")]) { $1 }, ("SEGMENT", "1"))
        }
        if lower.contains("carrier_claims") {
            return (.medicalClaims, [
                "claim_id": .column("CLM_ID"),
                "member_id": .column("DESYNPUF_ID"),
                "from_date": .column("CLM_FROM_DT"),
                "thru_date": .column("CLM_THRU_DT"),
                "setting": .constant("professional"),
                "dx_codes": .join(numbered("ICD9_DGNS_CD_", 1...8)),
                "proc_codes": .join(numbered("HCPCS_CD_", 1...13)),
                "paid_amount": .sum(numbered("LINE_NCH_PMT_AMT_", 1...13)),
            ], nil)
        }
        return nil
    }
}
