import RxLanguage
import RxRecords
import RxValues
import Testing

@testable import RxEngine

@Suite("Evidence")
struct EvidenceTests {
    @Test("the refund's payout names exactly the fills it summed; the event names the admission")
    func contractEvidence() throws {
        let folder = try PackFolder.load(path: repositoryRoot() + "/rules/statin-cv-refund")
        let checked = PackChecker.check(folder: folder)
        #expect(!checked.hasErrors)
        let dates = ["2025-01-06", "2025-02-03", "2025-03-03", "2025-03-31", "2025-04-28", "2025-05-26", "2025-06-23", "2025-07-21"]
        var fills = "claim_id,member_id,fill_date,ndc,days_supply,quantity,paid_amount\n"
        for (number, date) in dates.enumerated() { fills += "R\(number + 1),m1,\(date),99101012430,28,28,520.00\n" }
        fills += "R9,m1,2025-09-01,99101012430,28,28,520.00\n"  // after the event: not refunded
        fills += "X1,m1,2025-03-01,99131010160,30,30,9.00\n"  // not lipid-lowering
        let (records, _) = try RecordSet.fromCanonicalCSV([
            .members: "member_id,birth_date,sex,death_date\nm1,1960-03-01,M,\n",
            .pharmacyClaims: fills,
            .medicalClaims: "claim_id,member_id,from_date,thru_date,setting,dx_codes\nH1,m1,2025-08-10,2025-08-14,inpatient,I21.4\n",
        ])
        let plan = try EnginePlan(checked: checked, codes: records.codes, natives: RealPackTests.natives)
        let result = plan.evaluate(member: records.history(at: 0), in: records, evidence: true)
        let contract = try #require(result.contracts.first)
        let names = contract.outputs.map(\.name)
        let payoutIndex = try #require(names.firstIndex(of: "payout"))
        #expect(contract.outputs[payoutIndex].value == .money(ExactDecimal(units: 416_000, scale: 2)))
        let paidFor = contract.evidence[payoutIndex].filter { $0.kind == .fill }.map { records.claimID(of: records.fills[Int($0.index)]) }
        #expect(paidFor.sorted() == ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"])
        let eventIndex = try #require(names.firstIndex(of: "cv"))
        let event = contract.evidence[eventIndex].filter { $0.kind == .medical }.map { records.medicalClaims[Int($0.index)].claimID }
        #expect(event == ["H1"])
        // Without the flag nothing is collected.
        #expect(plan.evaluate(member: records.history(at: 0), in: records).contracts.first?.evidence.isEmpty == true)
    }
}
