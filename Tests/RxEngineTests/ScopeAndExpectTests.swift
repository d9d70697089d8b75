import RxLanguage
import Testing

@testable import RxEngine

/// Runs an inline pack's tests; nil when it does not check.
private func report(_ body: String) -> PackTestReport? {
    guard let checked = checkedPack(packHeader + body) else { return nil }
    return PackTestRunner.run(checked)
}

/// The failures of the one test of `report` (nil when the test could not run).
private func failures(_ report: PackTestReport?) -> [ExpectFailure]? {
    guard let test = report?.tests.first, report?.tests.count == 1 else { return nil }
    #expect(test.error == nil, "\(test.error ?? "")")
    return test.error == nil ? test.failures : nil
}

@Suite("Scopes of lazily computed names, and expect subjects")
struct ScopeAndExpectTests {
    @Test("a define with its own filter, first read inside another filter, filters its own list")
    func defineFirstReadInsideFilter() {
        // `baseline` is first read by the measure; its filter reads `index_date`, whose own filter
        // runs over fills while an observation is the element of the reading filter.
        let result = failures(report("""
            valueset hba1c = loinc ["4548-4"]
            valueset drug = ndc ["00000000101"]
            define drug_fills = fills where ndc in drug
            define index_date = first(drug_fills).fill_date
            define baseline = last(observations where code in hba1c and ((date < index_date) ?? false)).value
            measure m "m"
              include when true
              value b = baseline
            test "the last value before the first drug fill" {
              member birth_date 1966-08-12 sex M
              observation 2025-01-15 code "4548-4" value 8.4 unit "%"
              observation 2025-03-01 code "4548-4" value 7.1 unit "%"
              fill 2025-02-03 ndc 00000000101 days 28
              expect m.b = 8.4
              expect baseline = 8.4
              expect index_date = 2025-02-03
            }
            """))
        #expect(result == [])
    }

    @Test("a block local with its own filter, first read inside a filter over the same list")
    func localFirstReadInsideFilter() {
        // first_long = 1 Feb (the first fill of 60 days or more); two fills are later. Run inside
        // the reading filter's scope, the local would test the outer fill's days supply instead.
        let result = failures(report("""
            contract c "c"
              window = 2025-01-01 .. 2025-12-31
              eligible when true
              let first_long = first(fills where days_supply >= 60).fill_date
              gate two_later = count(fills where (fill_date > first_long) ?? false) = 2
              payout when two_later = 10.00 USD
            test "two fills after the first long one" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30
              fill 2025-02-01 ndc 00000000101 days 90
              fill 2025-05-01 ndc 00000000101 days 30
              fill 2025-06-01 ndc 00000000101 days 30
              expect c.two_later = true
              expect c.payout = 10.00 USD
            }
            """))
        #expect(result == [])
    }

    @Test("a bare field in a nested filter is the innermost element's that has it")
    func nestedFilterFieldResolution() {
        // Inner filter over fills: `fill_date` is the inner fill's, so every outer fill sees the
        // count 2 (1 Feb and 1 Mar are after 15 Jan) and all three are kept. Inner filter over
        // periods (no fill_date): `fill_date` is the outer fill's, the count is its cycle number,
        // and only the second fill has exactly 2 period starts up to its own date.
        let result = failures(report("""
            define inner = (fills where count(fills where fill_date > 2025-01-15) = 2).claim_id
            define outer = (fills where count(fills.period where start <= fill_date) = 2).claim_id
            test "three monthly fills" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30
              fill 2025-02-01 ndc 00000000101 days 30
              fill 2025-03-01 ndc 00000000101 days 30
              expect inner = ["T0001", "T0002", "T0003"]
              expect outer = ["T0002"]
            }
            """))
        #expect(result == [])
    }

    @Test("a parameter is an expect subject, with its default or the test's override")
    func parameterSubject() {
        let passing = failures(report("""
            parameter minimum: Decimal = 0.80
            parameter lookback: Days = 90 days
            test "defaults" {
              member birth_date 1960-01-01 sex F
              expect minimum = 0.8
              expect lookback = 90 days
            }
            """))
        #expect(passing == [])
        let overridden = failures(report("""
            parameter minimum: Decimal = 0.80
            test "override" {
              member birth_date 1960-01-01 sex F
              param minimum = 0.75
              expect minimum = 0.80
            }
            """))
        #expect(overridden?.map(\.expected) == ["0.80"])
        #expect(overridden?.map(\.actual) == ["3/4"])
    }

    @Test("a define's wrong expected value fails at the expect line with both values")
    func defineSubjectFailure() {
        let result = failures(report("""
            define first_date = first(fills).fill_date
            test "one fill" {
              member birth_date 1960-01-01 sex F
              fill 2025-03-01 ndc 00000000101 days 30
              expect first_date = 2025-03-02
            }
            """))
        #expect(result?.count == 1)
        #expect(result?.first?.expected == "2025-03-02")
        #expect(result?.first?.actual == "2025-03-01")
        #expect(result?.first?.location.hasPrefix("inline.rules:") == true)
    }

    @Test("a list output equals a list literal element by element, in order")
    func listExpectations() {
        let passing = failures(report("""
            measure m "m"
              include when true
              value ids = fills.claim_id
            test "in claim order" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30 claim_id "C1"
              fill 2025-02-01 ndc 00000000101 days 30 claim_id "C2"
              expect m.ids = ["C1", "C2"]
            }
            """))
        #expect(passing == [])
        let swapped = failures(report("""
            measure m "m"
              include when true
              value ids = fills.claim_id
            test "order matters, and so does length" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30 claim_id "C1"
              fill 2025-02-01 ndc 00000000101 days 30 claim_id "C2"
              expect m.ids = ["C2", "C1"]
              expect m.ids = ["C1"]
            }
            """))
        #expect(swapped?.map(\.expected) == [#"["C2", "C1"]"#, #"["C1"]"#])
        #expect(swapped?.map(\.actual) == [#"["C1", "C2"]"#, #"["C1", "C2"]"#])
    }

    @Test("a 'for each' measure: a value is the list of its rows, 'row n' one row, a missing row fails")
    func rowExpectations() {
        // Fills of 30 days on days 0, 30 and 120: covered runs 0..59 and 120..149; a 30-day
        // permissible gap keeps them apart (60 uncovered days), so two rows.
        let result = failures(report("""
            measure m "m"
              include when true
              for each run in episodes(supply(fills), max_gap: 30 days)
              value start = run.start
              value days = run.days
            test "two runs" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30
              fill 2025-01-31 ndc 00000000101 days 30
              fill 2025-05-01 ndc 00000000101 days 30
              expect m.start = [2025-01-01, 2025-05-01]
              expect m.days row 1 = 60 days
              expect m.days row 2 = 30 days
              expect m.days row 2 = 31 days
              expect m.days row 3 = 30 days
              expect m.start = [2025-01-01]
            }
            """))
        #expect(result?.map(\.expected) == ["31 days", "row 3", "[2025-01-01]"])
        #expect(result?.map(\.actual) == ["30 days", "2 rows", "[2025-01-01, 2025-05-01]"])
    }
}
