import RxLanguage
import RxRecords
import RxValues
import Testing

@testable import RxEngine

/// The specialised paths of the evaluator give what the general ones give.
@Suite("Evaluator fast paths")
struct FastPathTests {
    private func expectAllPass(_ body: String) {
        guard let checked = checkedPack(packHeader + body) else { return }
        let report = PackTestRunner.run(checked)
        #expect(!report.tests.isEmpty)
        for test in report.tests {
            #expect(test.error == nil, "\(test.name): \(test.error ?? "")")
            #expect(test.failures.isEmpty, "\(test.name): \(test.failures)")
        }
    }

    /// Values are copied on every step of evaluation: large payloads are boxed so that a copy
    /// stays three words.
    @Test("a value is at most three words")
    func valueSize() {
        #expect(MemoryLayout<Value>.stride <= 24)
    }

    @Test("in and not in a value set: NDCs, diagnosis lists, text codes")
    func valueSetMembership() {
        expectAllPass("""
            valueset statins = ndc ["00000000101", "00000000102"]
            valueset esrd = icd10 ["N18.6", "Z99.2"]
            measure m "m"
              include when true
              value statin_fills = count(fills where ndc in statins)
              value other_fills = count(fills where ndc not in statins)
              value esrd_claims = count(medical where dx in esrd)
              value other_claims = count(medical where dx not in esrd)
              value literal = "Z99.2" in esrd
              value literal_not = "I10" not in esrd
            test "hand-counted" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30
              fill 2025-02-01 ndc 00000000102 days 30
              fill 2025-03-01 ndc 00000000103 days 30
              medical inpatient 2025-01-01 .. 2025-01-02 dx "I10|N18.6"
              medical inpatient 2025-02-01 .. 2025-02-02 dx "I10"
              medical inpatient 2025-03-01 .. 2025-03-02 dx "Z99.2"
              medical outpatient 2025-04-01 .. 2025-04-01
              expect m.statin_fills = 2
              expect m.other_fills = 1
              expect m.esrd_claims = 2
              expect m.other_claims = 2
              expect m.literal = true
              expect m.literal_not = true
            }
            """)
    }

    @Test("count_distinct counts dates by day and other values by equality")
    func countDistinctOracle() {
        var random = SplitMix(state: 17)
        for _ in 0..<200 {
            let count = Int.random(in: 0...12, using: &random)
            let days = (0..<count).map { _ in Value.date(Day(number: Int32.random(in: 20_000...20_010, using: &random))) }
            #expect(Builtins.distinctCount(days) == Set(days).count)
            let mixed = days + [.int(Int.random(in: 0...2, using: &random)), .missing]
            #expect(Builtins.distinctCount(mixed) == Set(mixed).count)
            let sorted = days.sorted { ($0.dayValue ?? Day(number: 0)) < ($1.dayValue ?? Day(number: 0)) }
            #expect(Builtins.distinctCount(sorted) == Set(days).count)
        }
    }

    @Test("count_distinct of a field is counted as read: dates in order, out of order, and other fields")
    func countDistinctField() {
        expectAllPass("""
            define thirty_day = fills where days_supply = 30
            measure m "m"
              include when true
              value dates = count_distinct(fills.fill_date)
              value supplies = count_distinct(fills.days_supply)
              value none = count_distinct((fills where days_supply > 90).fill_date)
              value thirty_day_dates = count_distinct(thirty_day.fill_date)
            test "in order, with a same-day fill" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30
              fill 2025-01-01 ndc 00000000102 days 30
              fill 2025-02-01 ndc 00000000101 days 90
              expect m.dates = 2
              expect m.supplies = 2
              expect m.none = 0
              expect m.thirty_day_dates = 1
            }
            test "out of order" {
              member birth_date 1960-01-01 sex F
              fill 2025-03-01 ndc 00000000101 days 30
              fill 2025-01-01 ndc 00000000102 days 30
              fill 2025-03-01 ndc 00000000101 days 30
              fill 2025-02-01 ndc 00000000101 days 30
              expect m.dates = 3
              expect m.supplies = 1
              expect m.thirty_day_dates = 3
            }
            """)
    }

    @Test("drug keys: a binary search over sorted ids finds what the dictionary holds")
    func drugKeyMapOracle() {
        var random = SplitMix(state: 5)
        for _ in 0..<50 {
            var map: [CodeID: Int32] = [:]
            for _ in 0..<Int.random(in: 0...40, using: &random) {
                map[CodeID.random(in: 0...200, using: &random)] = Int32.random(in: 0...9, using: &random)
            }
            let keys = DrugKeyMap(map)
            for id in CodeID(-2)...CodeID(205) { #expect(keys.key(of: id) == map[id]) }
        }
    }

    @Test("binding a value set without prefixes marks exactly its codes")
    func bindExactCodes() {
        var codes = CodeTable()
        for code in ["00000000101", "I10", "00000000102", "N186", "00000000103"] { _ = codes.intern(code) }
        guard let set = checkedPack(packHeader + "valueset s = ndc [\"00000000101\", \"00000000103\", \"00000000999\"]\n")?
            .pack.valueSets["s"] else { return }
        let bound = EnginePlan.bind(set, codes: codes)
        let members = (0..<codes.count).filter { bound.contains(CodeID($0)) }.map { codes[CodeID($0)] }
        #expect(members == ["00000000101", "00000000103"])
        #expect(!bound.contains(CodeID(codes.count)))
    }

    @Test("the record kinds a pack reads")
    func recordKinds() {
        let fillsOnly = checkedPack(packHeader + """
            measure m "m"
              include when any(fills)
              value n = count(fills)
            """)
        let everything = checkedPack(packHeader + """
            define a = count(medical) + count(observations) + count(enrollment)
            define b = enrolled(continuously: 2025-01-01 .. 2025-12-31)
            """)
        let enrolledOnly = checkedPack(packHeader + "define b = enrolled(continuously: 2025-01-01 .. 2025-12-31)\n")
        if let fillsOnly { #expect(RecordUse.kinds(of: fillsOnly) == [.members, .pharmacyClaims]) }
        if let everything {
            #expect(RecordUse.kinds(of: everything) == [.members, .medicalClaims, .observations, .enrollment])
        }
        if let enrolledOnly { #expect(RecordUse.kinds(of: enrolledOnly) == [.members, .enrollment]) }
        let contract = checkedPack(packHeader + """
            contract c "c"
              eligible when true
              payout when true = 1.00 USD
            """)
        if let contract { #expect(RecordUse.kinds(of: contract).contains(.enrollment)) }
    }
}
