import RxAdherence
import RxLanguage
import RxRecords
import RxValues
import Testing

@testable import RxEngine

@Suite("Properties over generated members")
struct PropertyTests {
    static let statins = ["99101012330": "atorvastatin", "99101012430": "atorvastatin", "99101022130": "rosuvastatin"]

    /// Members with 1–8 statin fills in 2025 and, for some, an inpatient stay.
    static func generate(members: Int, seed: UInt64) -> [RxRecords.RecordKind: String] {
        var random = SplitMix(state: seed)
        var people = "member_id,birth_date,sex,death_date\n"
        var fills = "claim_id,member_id,fill_date,ndc,days_supply,quantity,paid_amount\n"
        var medical = "claim_id,member_id,from_date,thru_date,setting,dx_codes\n"
        let codes = statins.keys.sorted()
        guard let yearStart = Day("2025-01-01") else { return [:] }
        var claim = 0
        for member in 0..<members {
            let id = "m\(1000 + member)"
            people += "\(id),1950-01-01,F,\n"
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                claim += 1
                let date = yearStart + Int.random(in: 0..<365, using: &random)
                let days = [30, 60, 90][Int.random(in: 0..<3, using: &random)]
                let ndc = codes[Int.random(in: 0..<codes.count, using: &random)]
                fills += "c\(claim),\(id),\(date),\(ndc),\(days),\(days),1.00\n"
            }
            if Int.random(in: 0..<3, using: &random) == 0 {
                claim += 1
                let start = yearStart + Int.random(in: 0..<350, using: &random)
                medical += "s\(claim),\(id),\(start),\(start + Int.random(in: 0..<12, using: &random)),inpatient,I50.9\n"
            }
        }
        return [.members: people, .pharmacyClaims: fills, .medicalClaims: medical]
    }

    @Test("pdc_sta: 0 ≤ PDC ≤ 1, covered ≤ treatment days, PDC = covered / treatment, and the library agrees",
          arguments: [UInt64(1), 2, 3])
    func pdcBounds(seed: UInt64) throws {
        let folder = try PackFolder.load(path: repositoryRoot() + "/rules/pqa-adherence")
        let checked = PackChecker.check(folder: folder)
        #expect(!checked.hasErrors)
        let (records, report) = try RecordSet.fromCanonicalCSV(Self.generate(members: 300, seed: seed))
        #expect(report.rejects.isEmpty)
        let plan = try EnginePlan(checked: checked, codes: records.codes, overrides: ["stay_adjustment": .bool(false)])
        let withStays = try EnginePlan(checked: checked, codes: records.codes)
        var included = 0
        for index in 0..<records.memberCount {
            let history = records.history(at: index)
            for (current, adjusted) in [(plan, false), (withStays, true)] {
                let result = current.evaluate(member: history, in: records)
                let measure = try #require(result.measures.first { $0.measure == "pdc_sta" })
                guard measure.status == .included else { continue }
                included += 1
                let values = Dictionary(uniqueKeysWithValues: measure.values.map { ($0.name, $0.value) })
                guard case .days(let treatment)? = values["treatment_days"], case .days(let covered)? = values["covered_days"],
                      case .decimal(let pdc)? = values["pdc"], case .date(let ipsd)? = values["ipsd"]
                else {
                    Issue.record("unexpected value shapes: \(values)")
                    continue
                }
                #expect(covered >= 0 && covered <= treatment)
                #expect(pdc >= Rational(integer: 0) && pdc <= Rational(integer: 1))
                #expect(Rational(covered, treatment) == pdc)
                guard !adjusted, let yearEnd = Day("2025-12-31") else { continue }
                // The library, called directly, gives the same numbers without the stay adjustment.
                let events = history.fills.indices.map { claimIndex in
                    let fill = records.fills[claimIndex]
                    let ingredient = Self.statins[records.codes[fill.ndc]] ?? ""
                    return SupplyEvent(start: fill.fillDate, daysSupply: Int(fill.daysSupply),
                                       drugKey: ingredient == "atorvastatin" ? 0 : 1, claimIndex: Int32(claimIndex))
                }
                let direct = RxAdherence.pdc(events, period: Period(ipsd, yearEnd))
                #expect(direct.numerator == covered && direct.denominator == treatment)
            }
        }
        #expect(included > 100)
    }

    @Test("evaluation is deterministic: two plans give identical rows")
    func deterministic() throws {
        let folder = try PackFolder.load(path: repositoryRoot() + "/rules/pqa-adherence")
        let checked = PackChecker.check(folder: folder)
        let (records, _) = try RecordSet.fromCanonicalCSV(Self.generate(members: 100, seed: 9))
        let first = try EnginePlan(checked: checked, codes: records.codes)
        let second = try EnginePlan(checked: checked, codes: records.codes)
        for index in 0..<records.memberCount {
            let history = records.history(at: index)
            let a = first.evaluate(member: history, in: records), b = second.evaluate(member: history, in: records)
            #expect(a.measures.map { "\($0.status) \($0.values.map(\.value))" } == b.measures.map { "\($0.status) \($0.values.map(\.value))" })
        }
    }
}
