import RxAdherence
import RxLanguage
import RxRecords
import RxValues
import Testing

@testable import RxEngine

/// `where` conditions are compiled to test elements in place (see `compileElementFilter`); the same
/// pack compiled the general way must keep the same elements, with the same evidence, for every
/// member: missing fields, `or`, `not`, `??`, reversed comparisons, value sets, `overlaps`, parts
/// that read an outer element, and parts that fall back to the general path.
@Suite("Where filters tested in place")
struct ElementFilterTests {
    static let pack = packHeader + """
        parameter year: Period = 2025-01-01 .. 2025-12-31
        parameter cutoff: Date = 2025-06-30
        parameter big: Money = 20.00 USD
        parameter on: Bool = true
        valueset statins = ndc ["99101012430", "99101022130"]
        valueset heart = icd10 ["I10", "I50.9"]

        define last_fill_date = last(fills).fill_date
        define no_death = member.death_date

        measure shapes
          value in_set_and_year = fills where ndc in statins and fill_date in year
          value not_in_set = fills where ndc not in statins
          value reversed = fills where cutoff >= fill_date
          value missing_pay = fills where (patient_pay > big) ?? false
          value missing_or = fills where ((patient_pay > big) ?? false) or days_supply >= 90
          value missing_not = fills where not ((patient_pay < big) ?? true)
          value defaulted = fills where (patient_pay > big) ?? true
          value defaulted_false = fills where (fill_date < no_death) ?? false
          value equal_define = fills where (fill_date = last_fill_date) ?? false
          value general_part = fills where days_supply * 2 > 60 and ndc in statins
          value hoisted_only = fills where on and cutoff > 2025-01-01
          value hoisted_missing = fills where (no_death > cutoff) ?? false
          value missing_and = fills where ndc in statins and ((patient_pay < big) ?? true)
          value missing_either = fills where ((patient_pay > big) ?? false) or ((fill_date > no_death) ?? true)
          value period_overlap = fills where overlaps(cutoff .. cutoff + 30 days)
          value medical_dx = medical where dx in heart and overlaps(year)
          value medical_setting = medical where setting in [inpatient, snf] or setting = hospice
          value medical_not_dx = medical where dx not in heart
          value outer_element = fills where any(medical where from_date <= fill_date)
          value inner_reads_outer = count(fills where ndc in statins and fill_date in year
              and any(medical where from_date >= fill_date and dx in heart))
          value projected = (fills where ndc in statins).fill_date
          value kernel_chain = fills where fill_date >= cutoff and ndc not in statins and fill_date in year
          value kernel_medical = medical where from_date > cutoff and thru_date <= 2025-12-31
          value dates_listed = fills where fill_date in [2025-01-10, 2025-07-10]
          value kernel_stays = medical where on and setting in [inpatient, snf] and overlaps(year)
          value kernel_not = medical where setting != hospice and dx not in heart
          value kernel_fill_overlap = fills where overlaps(cutoff .. cutoff + 30 days) and ndc not in statins
        """

    /// Members with fills of the statin codes and others, some with no patient pay, medical claims
    /// of several settings and codes, some dead.
    static func generate(members: Int, seed: UInt64) -> [RxRecords.RecordKind: String] {
        var random = SplitMix(state: seed)
        var people = "member_id,birth_date,sex,death_date\n"
        var fills = "claim_id,member_id,fill_date,ndc,days_supply,quantity,paid_amount,patient_pay\n"
        var medical = "claim_id,member_id,from_date,thru_date,setting,dx_codes,proc_codes,paid_amount\n"
        guard let start = Day("2024-11-01") else { return [:] }
        let ndcs = ["99101012430", "99101022130", "99111010190", "99131010160"]
        let settings = ["inpatient", "snf", "hospice", "professional", "outpatient"]
        let codes = ["I10", "I50.9", "E11.9", "N18.6"]
        var claim = 0
        for member in 0..<members {
            let id = "m\(1000 + member)"
            let death = Int.random(in: 0..<4, using: &random) == 0 ? (start + Int.random(in: 100...500, using: &random)).description : ""
            people += "\(id),1950-01-01,F,\(death)\n"
            var date = start + Int.random(in: 0..<60, using: &random)
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                claim += 1
                date = date + Int.random(in: 0...45, using: &random)
                let pay = Int.random(in: 0..<3, using: &random) == 0 ? "" : "\(Int.random(in: 0...40, using: &random)).00"
                fills += "f\(claim),\(id),\(date),\(ndcs[Int.random(in: 0..<4, using: &random)]),"
                    + "\([30, 60, 90][Int.random(in: 0..<3, using: &random)]),30,10.00,\(pay)\n"
            }
            for _ in 0..<Int.random(in: 0...4, using: &random) {
                claim += 1
                let from = start + Int.random(in: 0...420, using: &random)
                let thru = from + Int.random(in: 0...20, using: &random)
                let dx = (0..<Int.random(in: 1...2, using: &random)).map { _ in codes[Int.random(in: 0..<4, using: &random)] }
                medical += "h\(claim),\(id),\(from),\(thru),\(settings[Int.random(in: 0..<5, using: &random)]),"
                    + "\"\(dx.joined(separator: "|"))\",,100.00\n"
            }
        }
        return [.members: people, .pharmacyClaims: fills, .medicalClaims: medical]
    }

    @Test("in-place and general filters keep the same elements and evidence", arguments: [UInt64(1), 2, 3])
    func sameElements(seed: UInt64) throws {
        let (records, report) = try RecordSet.fromCanonicalCSV(Self.generate(members: 300, seed: seed))
        #expect(report.rejects.isEmpty)
        let checked = try #require(checkedPack(Self.pack))
        let fused = try EnginePlan(checked: checked, codes: records.codes, fusingFilters: true)
        let general = try EnginePlan(checked: checked, codes: records.codes, fusingFilters: false)
        var kept = 0
        var evaluator = fused.evaluator(records: records, evidence: true)
        for index in 0..<records.memberCount {
            let history = records.history(at: index)
            let fast = evaluator.evaluate(history).measures
            let slow = general.evaluate(member: history, in: records, evidence: true).measures
            #expect(fast.count == 1 && slow.count == 1)
            guard let fast = fast.first, let slow = slow.first else { continue }
            #expect(fast.values.map(\.name) == slow.values.map(\.name))
            for (a, b) in zip(fast.values, slow.values) {
                #expect(a.value == b.value, "member \(history.memberID), value \(a.name)")
                if case .list(let items) = a.value { kept += items.count }
            }
            #expect(fast.evidence == slow.evidence, "member \(history.memberID)")
        }
        // The data exercises the filters: thousands of elements kept in all.
        #expect(kept > 1000)
    }

    /// Members in and out of a measure, one after another: evaluating into the previous member's
    /// result (its storage reused) gives what a fresh evaluation gives.
    @Test("a result reused member after member equals a fresh one", arguments: [UInt64(4), 5])
    func reusedResult(seed: UInt64) throws {
        let (records, _) = try RecordSet.fromCanonicalCSV(Self.generate(members: 200, seed: seed))
        let checked = try #require(checkedPack(packHeader + """
            valueset statins = ndc ["99101012430", "99101022130"]
            measure statin_users
              include when count(fills where ndc in statins) >= 2
              exclude "hospice" when any(medical where setting = hospice)
              value first_fill = first(fills where ndc in statins).fill_date
              value fills = count(fills)
            measure everyone
              value medical = count(medical)
            """))
        let plan = try EnginePlan(checked: checked, codes: records.codes)
        var evaluator = plan.evaluator(records: records)
        var reused = MemberResult.empty
        var statuses: Set<String> = []
        for index in 0..<records.memberCount {
            evaluator.evaluate(member: index, into: &reused)
            let fresh = plan.evaluate(member: records.history(at: index), in: records)
            #expect(reused.memberID == fresh.memberID)
            #expect(reused.measures.map(\.measure) == fresh.measures.map(\.measure))
            for (a, b) in zip(reused.measures, fresh.measures) {
                #expect("\(a.status)" == "\(b.status)", "member \(fresh.memberID)")
                #expect(a.values.map(\.name) == b.values.map(\.name))
                #expect(a.values.map(\.value) == b.values.map(\.value), "member \(fresh.memberID)")
                statuses.insert("\(a.status)")
            }
        }
        // Every status occurs, so reuse crosses from each to each.
        #expect(statuses.count == 3)
    }

    @Test("hand-computed: missing patient pay is neither above nor below a bound")
    func missingField() throws {
        let (records, _) = try RecordSet.fromCanonicalCSV([
            .members: "member_id,birth_date,sex,death_date\nm1,1950-01-01,F,\n",
            .pharmacyClaims: """
                claim_id,member_id,fill_date,ndc,days_supply,quantity,paid_amount,patient_pay
                a,m1,2025-01-10,99101012430,30,30,10.00,25.00
                b,m1,2025-02-10,99101012430,90,30,10.00,
                c,m1,2025-07-10,99111010190,30,30,10.00,5.00

                """,
        ])
        let checked = try #require(checkedPack(Self.pack))
        let plan = try EnginePlan(checked: checked, codes: records.codes)
        let values = plan.evaluate(member: records.history(at: 0), in: records).measures.first?.values ?? []
        func ids(_ name: String) -> [String] {
            guard case .list(let items)? = values.first(where: { $0.name == name })?.value else { return [] }
            return items.compactMap { item in
                guard case .fill(let index) = item else { return nil }
                return records.claimID(of: records.fills[Int(index)])
            }
        }
        #expect(ids("in_set_and_year") == ["a", "b"])
        #expect(ids("reversed") == ["a", "b"])
        #expect(ids("missing_pay") == ["a"])
        // b: missing or true is true.
        #expect(ids("missing_or") == ["a", "b"])
        #expect(ids("missing_not") == ["a"])
        #expect(ids("defaulted") == ["a", "b"])
        // No death date: the comparison is missing, and `?? false` drops every fill.
        #expect(ids("defaulted_false").isEmpty)
        #expect(ids("equal_define") == ["c"])
        #expect(ids("general_part") == ["b"])
        #expect(ids("hoisted_only") == ["a", "b", "c"])
        #expect(ids("hoisted_missing").isEmpty)
        // a: true and false; b: true and missing, defaulted to true; c: false.
        #expect(ids("missing_and") == ["b"])
        // No death date: the right side is missing, defaulted to true, for every fill.
        #expect(ids("missing_either") == ["a", "b", "c"])
        // Supply periods: a ends 2025-02-08, b runs 2025-02-10 .. 2025-05-10, c 2025-07-10 .. 08-08.
        #expect(ids("period_overlap") == ["c"])
        #expect(ids("kernel_chain") == ["c"])
        #expect(ids("dates_listed") == ["a", "c"])
        #expect(ids("kernel_fill_overlap") == ["c"])
    }
}
