import RxLanguage
import RxRecords
import RxValues
import Synchronization
import Testing

@testable import RxEngine

/// Runs an inline pack's test blocks and returns the report.
private func runInline(_ body: String) -> PackTestReport? {
    guard let checked = checkedPack(packHeader + body) else { return nil }
    return PackTestRunner.run(checked)
}

/// Expects every test of the report to pass.
private func expectAllPass(_ report: PackTestReport?) {
    guard let report else { return }
    #expect(!report.tests.isEmpty)
    for test in report.tests {
        #expect(test.error == nil, "\(test.name): \(test.error ?? "")")
        #expect(test.failures.isEmpty, "\(test.name): \(test.failures)")
    }
}

@Suite("Engine")
struct EngineUnitTests {
    @Test("a define is computed at most once per member, however often it is read")
    func defineIsMemoised() throws {
        let calls = Atomic<Int>(0)
        let program = Program(
            defines: [Code { _ in
                calls.add(1, ordering: .relaxed)
                return .int(42)
            }],
            locals: [], coveragePoints: 0)
        let (records, _) = try RecordSet.fromCanonicalCSV([
            .members: "member_id,birth_date,sex,death_date\nm1,1960-01-01,F,\n",
        ])
        var context = MemberContext(
            program: program, bindings: Bindings(parameters: [], valueSets: [], currency: "USD"), records: records,
            member: 0, trackCoverage: false)
        #expect(context.define(0) == .int(42))
        #expect(context.define(0) == .int(42))
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    @Test("a define read by two values of a measure is evaluated once")
    func defineUsedTwiceInPack() throws {
        // `first(fills)` runs once: the memo holds it for the second value.
        let report = runInline("""
            define d = first(fills).fill_date
            measure m "m"
              include when true
              value a = d
              value b = d
            test "both read the define" {
              member birth_date 1960-01-01 sex F
              fill 2025-03-01 ndc 00000000101 days 30
              expect m.a = 2025-03-01
              expect m.b = 2025-03-01
            }
            """)
        expectAllPass(report)
    }

    /// Seven 30-day fills on days 0, 190, 220, 290, 320, 400 and 450 of 2030–2031 (test-block lines).
    static let sevenFills = """
        fill 2030-01-01 ndc 00000000101 days 30
              fill 2030-07-10 ndc 00000000101 days 30
              fill 2030-08-09 ndc 00000000101 days 30
              fill 2030-10-18 ndc 00000000101 days 30
              fill 2030-11-17 ndc 00000000101 days 30
              fill 2031-02-05 ndc 00000000101 days 30
              fill 2031-03-27 ndc 00000000101 days 30
        """

    /// cma.md: a new episode starts after a gap over the permissible gap, which AdhereR can also
    /// take as a percentage of the duration of the event before the gap.
    @Test("AdhereR's permissible gap as a percentage of the event's duration")
    func permissibleGapAsPercent() {
        let report = runInline("""
            parameter fuw: Period = 2030-01-01 .. 2031-12-31
            measure pct100 "gap up to 100 % of the 30-day duration: 30 days"
              include when any(fills)
              for each e in cma_episodes(fills, follow_up: fuw, max_gap_percent: 100)
              value start = e.start
              value end = e.end
            measure pct200 "gap up to 200 %: 60 days"
              include when any(fills)
              for each e in cma_episodes(fills, follow_up: fuw, max_gap_percent: 200)
              value start = e.start
              value end = e.end
            measure pct200_cma7 "CMA7 per episode with the 60-day gap"
              include when any(fills)
              for each w in cma_per_episode(7, fills, observation: fuw, max_gap_percent: 200)
              value cma = w.value
            # Seven 30-day fills on days 0, 190, 220, 290, 320, 400 and 450 of a 730-day window:
            # gaps 160, 0, 40, 0, 50, 20, and 250 to the end of the window.
            test "100 % is the 30-day gap: four episodes; 200 % is 60 days: two" {
              member birth_date 1960-01-01 sex F
              \(Self.sevenFills)
              expect pct100.start = [2030-01-01, 2030-07-10, 2030-10-18, 2031-02-05]
              expect pct100.end = [2030-01-31, 2030-09-08, 2030-12-17, 2031-04-26]
              # Only the 160-day gap exceeds 60 days; the last episode ends when supply runs out
              # (day 480), its 250-day end gap being at least 60 days.
              expect pct200.start = [2030-01-01, 2030-07-10]
              expect pct200.end = [2030-01-31, 2031-04-26]
              # Episode 2, days 190..480: gaps 40, 50 and 20 inside 290 days, so CMA7 = 180 / 290,
              # kept (as CMA windows are) to 12 decimal places.
              expect pct200_cma7.cma = [1, 0.620689655172]
            }
            """)
        expectAllPass(report)
    }

    /// AdhereR's maximum.permissible.gap.append.to.episode: an episode a gap over max_gap ended
    /// runs max_gap days past its supply end.
    @Test("append_max_gap ends gap-ended episodes max_gap days after their supply")
    func appendMaxGap() {
        let report = runInline("""
            parameter fuw: Period = 2030-01-01 .. 2031-12-31
            measure plain "episodes end when supply runs out"
              include when any(fills)
              for each e in cma_episodes(fills, follow_up: fuw, max_gap: 30 days)
              value end = e.end
            measure appended "episodes end 30 days later"
              include when any(fills)
              for each e in cma_episodes(fills, follow_up: fuw, max_gap: 30 days, append_max_gap: true)
              value end = e.end
              value duration = e.duration
              value end_gap = e.end_gap
            measure appended_cma7 "CMA7 per appended episode"
              include when any(fills)
              for each w in cma_per_episode(7, fills, observation: fuw, max_gap: 30 days, append_max_gap: true)
              value end = w.end
              value cma = w.value
            # Seven 30-day fills on days 0, 190, 220, 290, 320, 400 and 450: gaps 160, 0, 40, 0, 50,
            # 20 and about 250 to the window end; those over 30 days end episodes.
            test "each episode ends 30 days after its supply" {
              member birth_date 1960-01-01 sex F
              \(Self.sevenFills)
              expect plain.end = [2030-01-31, 2030-09-08, 2030-12-17, 2031-04-26]
              # Supply ends on days 30, 250, 350 and 480, plus 30 days.
              expect appended.end = [2030-03-02, 2030-10-08, 2031-01-16, 2031-05-26]
              expect appended.duration = [60, 90, 90, 110]
              expect appended.end_gap row 2 = 40 days
              # 30 of 90 uncovered days per middle episode; 20 + 30 of 110 in the last; 30 of 60 in the first.
              expect appended_cma7.end = [2030-03-02, 2030-10-08, 2031-01-16, 2031-05-26]
              expect appended_cma7.cma = [0.5, 0.666666666667, 0.666666666667, 0.545454545455]
            }
            """)
        expectAllPass(report)
    }

    @Test("optional values lift through arithmetic and fields; ?? supplies the default")
    func optionalLifting() {
        let report = runInline("""
            define last_fill = last(fills where days_supply > 60)
            measure m "m"
              include when true
              value next_due = (last_fill.fill_date + 30 days) ?? 2000-01-01
              value has_long = last_fill exists
              value gap_known = (last_fill.fill_date - 2025-01-01) is missing
            test "no long fill: everything downstream is missing" {
              member birth_date 1960-01-01 sex F
              fill 2025-03-01 ndc 00000000101 days 30
              expect m.next_due = 2000-01-01
              expect m.has_long = false
              expect m.gap_known = true
            }
            test "a long fill: values flow through" {
              member birth_date 1960-01-01 sex F
              fill 2025-03-01 ndc 00000000101 days 90
              expect m.next_due = 2025-03-31
              expect m.has_long = true
              expect m.gap_known = false
            }
            """)
        expectAllPass(report)
    }

    @Test("arithmetic that does not fit gives a missing value, never a trap")
    func overflowIsMissing() {
        let report = runInline("""
            measure m "m"
              include when true
              value sum_fits = (9223372036854775806 + 1) exists
              value sum_overflows = (9223372036854775807 + 1) is missing
              value product_overflows = (4611686018427387904 * 4) is missing
              value negation_overflows = (-(0 - 9223372036854775807 - 1)) is missing
              value date_out_of_range = (2025-01-01 + 9223372036854775807 days) is missing
              value decimal_overflows = (0.000000001 * 0.000000001 * 0.000000001) is missing
            test "every overflow is missing" {
              member birth_date 1960-01-01 sex F
              expect m.sum_fits = true
              expect m.sum_overflows = true
              expect m.product_overflows = true
              expect m.negation_overflows = true
              expect m.date_out_of_range = true
              expect m.decimal_overflows = true
            }
            """)
        expectAllPass(report)
    }

    @Test("cma(n, ...) gives AdhereR's CMA over the fills, windows given as periods")
    func cmaBuiltin() {
        // Fills 1 Jan, 15 Feb, 30 Mar 2025, 30 days each; OW = FUW = 1 Jan .. 31 Dec (L = 364).
        // CMA1 = 60 / 88; CMA2 = 90 / 364; gaps 15 + 13 + 246 = 274, so CMA7 = 1 - 274/364 = 90/364.
        let report = runInline("""
            define year = 2025-01-01 .. 2025-12-31
            measure m "m"
              include when true
              value cma1 = round(cma(1, fills, observation: year), 4)
              value cma2 = round(cma(2, fills, observation: year), 4)
              value cma3 = round(cma(3, fills, observation: year), 4)
              value cma7 = round(cma(7, fills, observation: year), 4)
              value none = cma(1, fills where days_supply > 60, observation: year) is missing
            test "three fills" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30
              fill 2025-02-15 ndc 00000000101 days 30
              fill 2025-03-30 ndc 00000000101 days 30
              expect m.cma1 = 0.6818
              expect m.cma2 = 0.2473
              expect m.cma3 = 0.6818
              expect m.cma7 = 0.2473
              expect m.none = true
            }
            """)
        expectAllPass(report)
    }

    @Test("division is exact: 281/334 equals 562/668 and sits between two decimal thresholds")
    func exactDivision() throws {
        let report = runInline("""
            measure m "m"
              include when true
              value r = 281 / 334
              value above = r >= 0.8413
              value below = r < 0.8414
              value third = 1 / 3 + 1 / 3 + 1 / 3
            test "exact" {
              member birth_date 1960-01-01 sex F
              expect m.r = 562 / 668
              expect m.above = true
              expect m.below = true
              expect m.third = 1
            }
            """)
        expectAllPass(report)
        #expect(Rational(281, 334) == Rational(562, 668))
        #expect(Rational(281, 334)?.description == "281/334")
        let third = try #require(Rational(1, 3))
        #expect((third + third).flatMap { $0 + third } == Rational(integer: 1))
        #expect(Rational(ExactDecimal(units: 80, scale: 2)) == Rational(4, 5))
    }

    @Test("value-set prefixes match every code under them and nothing else")
    func valueSetPrefixes() {
        let report = runInline("""
            valueset mi = icd10 ["I21*", "I63.9"]
            measure m "m"
              include when true
              value hits = count(medical where any(dx where it in mi))
            test "prefix and exact codes" {
              member birth_date 1960-01-01 sex F
              medical inpatient 2025-01-01 .. 2025-01-02 dx "I21.4"
              medical inpatient 2025-02-01 .. 2025-02-02 dx "I21"
              medical inpatient 2025-03-01 .. 2025-03-02 dx "I63.9"
              medical inpatient 2025-04-01 .. 2025-04-02 dx "I63.8"
              medical inpatient 2025-05-01 .. 2025-05-02 dx "I2"
              medical inpatient 2025-06-01 .. 2025-06-02 dx "J18.9|I21.01"
              expect m.hits = 4
            }
            """)
        expectAllPass(report)
        var codes = CodeTable()
        for code in ["I214", "I21", "I2", "I639", "I638", "E785"] { _ = codes.intern(code) }
        guard let set = checkedPack(packHeader + "valueset mi = icd10 [\"I21*\", \"I63.9\"]\n")?.pack.valueSets["mi"] else { return }
        let bound = EnginePlan.bind(set, codes: codes)
        let members = (0..<codes.count).filter { bound.contains(CodeID($0)) }.map { codes[CodeID($0)] }
        #expect(members == ["I214", "I21", "I639"])
    }

    @Test("claim rules run in date order, then claim id, against the earlier paid claims")
    func claimRuleOrderAndHistory() {
        let report = runInline("""
            claim rule third_fill "third fill"
              for fills
              reject 99 "a third fill" when count(history) >= 2
              reject 98 "same day as an earlier fill" when any(history where fill_date = this.fill_date)
                next fill this.fill_date + 1 days
            test "history grows claim by claim" {
              member birth_date 1960-01-01 sex F
              fill 2025-03-01 ndc 00000000101 days 30
              fill 2025-01-01 ndc 00000000101 days 30
              fill 2025-01-01 ndc 00000000102 days 30
              expect third_fill on 2025-01-01 = pay
              expect third_fill on 2025-03-01 = reject 99
            }
            """)
        expectAllPass(report)
    }

    @Test("a contract pays the amount when its condition holds and 0.00 otherwise")
    func contractPayout() {
        let report = runInline("""
            parameter cap: Money = 100.00 USD
            contract refund "refund"
              eligible when count(fills) >= 1
              gate two_fills = count(fills) >= 2
              payout when two_fills = min(sum(fills.paid_amount), cap)
            test "one fill: the gate fails, nothing is paid" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30 paid 40.00
              expect refund.eligible = true
              expect refund.two_fills = false
              expect refund.payout = 0.00 USD
            }
            test "two fills: the sum is paid" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30 paid 40.00
              fill 2025-02-01 ndc 00000000101 days 30 paid 35.50
              expect refund.payout = 75.50 USD
            }
            test "three fills: the cap applies" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30 paid 40.00
              fill 2025-02-01 ndc 00000000101 days 30 paid 40.00
              fill 2025-03-01 ndc 00000000101 days 30 paid 40.00
              expect refund.payout = 100.00 USD
            }
            """)
        expectAllPass(report)
    }

    @Test("a sum of may-be-missing amounts is missing when one is, never a smaller total")
    func sumOfOptionalMoney() {
        let report = runInline("""
            define patient_total = sum(fills.patient_pay)
            define known_total = patient_total ?? -1.00 USD
            test "every amount known" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30 patient_pay 12.50
              fill 2025-02-01 ndc 00000000101 days 30 patient_pay 7.25
              expect known_total = 19.75 USD
            }
            test "one amount missing" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30 patient_pay 12.50
              fill 2025-02-01 ndc 00000000101 days 30
              expect known_total = -1.00 USD
            }
            test "no fills: zero" {
              member birth_date 1960-01-01 sex F
              expect known_total = 0.00 USD
            }
            """)
        expectAllPass(report)
    }

    @Test("nth, distinct and running_sum: positions from 1, first occurrences, exact running totals")
    func listFunctions() {
        let report = runInline("""
            define dates = distinct(fills.fill_date)
            define second_day = nth(dates, 2)
            define past_end = nth(dates, 4) ?? 1900-01-01
            define totals = running_sum(fills.paid_amount)
            define within_cap = count(totals where it <= 100.00 USD)
            define day_totals = running_sum(fills.days_supply)
            test "two fills on one day, then one more" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30 paid 40.00
              fill 2025-01-01 ndc 00000000102 days 30 paid 35.505
              fill 2025-02-01 ndc 00000000101 days 30 paid 40.00
              expect dates = [2025-01-01, 2025-02-01]
              expect second_day = 2025-02-01
              expect past_end = 1900-01-01
              expect totals = [40.00 USD, 75.505 USD, 115.505 USD]
              expect within_cap = 2
              expect day_totals = [30, 60, 90]
            }
            """)
        expectAllPass(report)
    }

    @Test("a native function that reports a failure gives a missing value")
    func failingNativeFunction() throws {
        let text = packHeader + """
            native risk_points(age: Int) returns Int "points by age; fails above 120"
            define age_now = age(member, at: 2025-01-01)
            define points = risk_points(age_now) ?? -1
            test "a plausible age scores" {
              member birth_date 1960-01-01 sex F
              expect points = 6
            }
            test "an age the function refuses is missing, not zero" {
              member birth_date 1890-01-01 sex F
              expect points = -1
            }
            """
        let checked = try #require(checkedPack(text))
        let calls = Mutex<[Int64]>([])
        let natives: [String: NativeImplementation] = [
            "risk_points": { arguments in
                guard case .int(let age)? = arguments.first else { return nil }
                calls.withLock { $0.append(age) }
                return age > 120 ? nil : .int(age / 10)
            },
        ]
        expectAllPass(PackTestRunner.run(checked, natives: natives))
        // Each test called the function once; the refused call gave no value, not a default.
        #expect(calls.withLock { $0 } == [65, 135])
    }

    @Test("a CMA reads the daily dose from the quantity when the data carries it there (AdhereR's PERDAY)")
    func dailyDoseFromQuantity() {
        let report = runInline("""
            parameter window: Period = 2030-01-01 .. 2030-12-31
            define plain = cma(7, fills, observation: window)
            # The same PERDAY (1) over 60 and then 30 days: no dose change when quantity is the dose ...
            define as_dose = cma(7, fills, observation: window, dose_change: true, quantity_is_daily_dose: true)
            # ... but quantity / days supply doubles (1/60 to 1/30): the supply on hand is rescaled.
            define as_amount = cma(7, fills, observation: window, dose_change: true)
            define same = as_dose = plain
            define differs = as_amount != plain
            test "constant PERDAY, different durations" {
              member birth_date 1960-01-01 sex F
              fill 2030-01-01 ndc 00000000101 days 60 quantity 1
              fill 2030-01-31 ndc 00000000101 days 30 quantity 1
              expect same = true
              expect differs = true
            }
            """)
        expectAllPass(report)
    }

    @Test("mpr: the period and refill-interval variants, capped and not")
    func mprVariants() {
        let report = runInline("""
            parameter quarter: Period = 2025-01-01 .. 2025-03-31
            measure m "m"
              include when true
              value by_period = mpr(fills, within: quarter)
              value by_interval = mpr(fills, within: quarter, variant: refill_interval)
              value capped = mpr(fills, within: quarter, variant: refill_interval, capped: true)
            test "three 30-day fills" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30
              fill 2025-02-15 ndc 00000000101 days 30
              fill 2025-03-01 ndc 00000000101 days 30
              expect m.by_period = 90 / 90
              expect m.by_interval = 60 / 59
              expect m.capped = 1
            }
            """)
        expectAllPass(report)
    }
}
