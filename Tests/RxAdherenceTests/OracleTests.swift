import RxValues
import Testing
@testable import RxAdherence

/// The hand-computed oracles of the domain guide §7 (T1–T7, T10, T11).
@Suite struct DomainOracleTests {
    // T1: one fill, or two fills on one date, do not meet the two-fill rule.
    @Test func t1TwoFillRule() {
        let year2025 = period("2025-01-01", "2025-12-31")
        #expect(!meetsTwoFillRule([fill("2025-03-01", 90, claim: 0)], within: year2025))
        let year2018 = period("2018-01-01", "2018-12-31")
        let sameDay = [fill("2018-01-01", 90, drug: 1, claim: 0), fill("2018-01-01", 90, drug: 2, claim: 1)]
        #expect(!meetsTwoFillRule(sameDay, within: year2018))
        #expect(meetsTwoFillRule(sameDay + [fill("2018-02-01", 30, claim: 2)], within: year2018))
        // A fill outside the period is not a second date.
        #expect(!meetsTwoFillRule([fill("2025-03-01", 90, claim: 0), fill("2024-12-01", 90, claim: 1)],
                                  within: year2025))
    }

    // T2: same-drug shift, PQA metformin example.
    @Test func t2SameDrugShift() throws {
        let events = [fill("2018-01-01", 90, claim: 0), fill("2018-03-25", 90, claim: 1),
                      fill("2018-07-05", 90, claim: 2), fill("2018-10-15", 90, claim: 3)]
        let year = period("2018-01-01", "2018-12-31")
        let result = pdc(events, period: year)
        #expect(result.numerator == 348)
        #expect(result.denominator == 365)
        let ratio = try #require(result.ratio)
        #expect(ratio.rounded(scale: 4) == ExactDecimal("0.9534"))
        let placements = result.supply.placements
        #expect(placements[1].placed == period("2018-04-01", "2018-06-29"))
        #expect(placements[1].reasons.contains(.shiftedBehindSameDrug))
        #expect(placements[1].shiftedBehind == 0)
        #expect(placements[3].truncatedDays == 12)
        #expect(result.supply.timeline.gaps(within: year) ==
                [period("2018-06-30", "2018-07-04"), period("2018-10-03", "2018-10-14")])
    }

    // T3: shift plus truncation; treatment period from the IPSD.
    @Test func t3ShiftAndTruncation() throws {
        let events = [fill("2018-03-25", 90, claim: 0), fill("2018-07-05", 90, claim: 1),
                      fill("2018-09-25", 90, claim: 2)]
        let treatment = try #require(treatmentPeriod(events, measurementPeriod: period("2018-01-01", "2018-12-31")))
        #expect(treatment.dayCount == 282)
        let result = pdc(events, period: treatment)
        #expect(result.numerator == 270)
        #expect(try #require(result.ratio).rounded(scale: 4) == ExactDecimal("0.9574"))
        #expect(result.supply.placements[2].placed == period("2018-10-03", "2018-12-31"))
        #expect(result.supply.placements[2].truncatedDays == 0)
        #expect(result.supply.timeline.gaps(within: treatment) == [period("2018-06-23", "2018-07-04")])
    }

    // T4: different drugs are not shifted; the same dates all one drug are.
    @Test func t4DifferentDrugsNotShifted() throws {
        let year = period("2022-01-01", "2022-12-31")
        let dates = ["2022-01-01", "2022-03-25", "2022-07-05", "2022-09-25"]
        let mixed = dates.enumerated().map { fill($1, 90, drug: $0 == 0 ? 1 : 2, claim: Int32($0)) }
        let mixedResult = pdc(mixed, period: year)
        #expect(mixedResult.numerator == 353)
        #expect(try #require(mixedResult.ratio).rounded(scale: 4) == ExactDecimal("0.9671"))
        #expect(mixedResult.supply.placements[1].placed == period("2022-03-25", "2022-06-22"))
        #expect(mixedResult.supply.placements[3].placed == period("2022-10-03", "2022-12-31"))
        let single = dates.enumerated().map { fill($1, 90, drug: 1, claim: Int32($0)) }
        let singleResult = pdc(single, period: year)
        #expect(singleResult.numerator == 360)
        #expect(try #require(singleResult.ratio).rounded(scale: 4) == ExactDecimal("0.9863"))
        #expect(singleResult.supply.placements[1].placed == period("2022-04-01", "2022-06-29"))
    }

    // T5: the 91-day rule.
    @Test func t5NinetyOneDayRule() {
        let year = period("2025-01-01", "2025-12-31")
        let included = treatmentPeriod([fill("2025-10-02", 30, claim: 0)], measurementPeriod: year)
        #expect(included?.dayCount == 91)
        #expect(treatmentPeriod([fill("2025-10-05", 30, claim: 0)], measurementPeriod: year) == nil)
    }

    // T6: MPR above 1 while PDC is capped by construction.
    @Test func t6MprAboveOne() throws {
        let events = [fill("2025-01-01", 30, claim: 0), fill("2025-01-21", 30, claim: 1),
                      fill("2025-02-10", 30, claim: 2)]
        let window = period("2025-01-01", "2025-03-01")
        let ratio = try #require(mpr(events, period: window, variant: .period).ratio)
        #expect(ratio == Fraction(90, 60))
        #expect(ratio.rounded(scale: 2) == ExactDecimal("1.50"))
        #expect(mpr(events, period: window, variant: .period, capped: true).ratio == Fraction(1, 1))
        let result = pdc(events, period: window)
        #expect(result.numerator == 60 && result.denominator == 60)
        #expect(result.supply.placements.map(\.placed) ==
                [period("2025-01-01", "2025-01-30"), period("2025-01-31", "2025-03-01"),
                 period("2025-03-02", "2025-03-31")])
    }

    // T7a: persistence at gap 30 and 60.
    @Test func t7aPersistence() throws {
        let events = [fill("2025-01-01", 30, claim: 0), fill("2025-02-15", 30, claim: 1),
                      fill("2025-04-20", 30, claim: 2)]
        let year = period("2025-01-01", "2025-12-31")
        let at30 = persistence(events, period: year, gap: .days(30))
        #expect(at30.daysToDiscontinuation == 75)
        #expect(at30.episodes.first?.discontinuationDate == day("2025-03-16"))
        let at60 = persistence(events, period: year, gap: .days(60))
        #expect(at60.episodes.count == 1)
        #expect(at60.episodes.first?.end == day("2025-05-19"))
        // Alternative convention: discontinuation = last covered day + gap.
        let plusGap = persistence(events, period: year, gap: .days(30), convention: .lastCoveredDayPlusGap)
        #expect(plusGap.episodes.first?.discontinuationDate == day("2025-04-15"))
    }

    // T7b: Kaplan–Meier over five members.
    @Test func t7bKaplanMeier() {
        let cohort = [SurvivalObservation(time: 60, event: true), SurvivalObservation(time: 90, event: false),
                      SurvivalObservation(time: 120, event: true), SurvivalObservation(time: 365, event: false),
                      SurvivalObservation(time: 365, event: false)]
        let curve = KaplanMeier(cohort)
        #expect(curve.survival(at: 59) == ExactDecimal(1))
        #expect(curve.survival(at: 60) == ExactDecimal("0.8"))
        #expect(curve.survival(at: 120).rounded(scale: 4) == ExactDecimal("0.5333"))
        #expect(curve.survival(at: 120) == ExactDecimal("0.533333333333"))
        #expect(curve.survival(at: 365) == curve.survival(at: 120))
        #expect(curve.steps.map(\.atRisk) == [5, 3])
    }

    // T10: the outcome-contract gate's coverage numbers.
    @Test func t10OutcomeGateCoverage() throws {
        let window = period("2025-01-06", "2025-08-09")
        let all = (0..<8).map { SupplyEvent(start: day("2025-01-06") + 28 * $0, daysSupply: 28, drugKey: 1,
                                            claimIndex: Int32($0)) }
        #expect(window.dayCount == 216)
        let full = pdc(all, period: window)
        #expect(full.numerator == 216)
        #expect(full.ratio == Fraction(1, 1))
        #expect(placeSupply(all, window: period("2025-01-06", "2025-12-31"), options: .pqa).timeline.intervals ==
                [period("2025-01-06", "2025-08-17")])
        let five = pdc(Array(all.prefix(5)), period: window)
        #expect(five.numerator == 140)
        #expect(try #require(five.ratio).rounded(scale: 4) == ExactDecimal("0.6481"))
        #expect(five.supply.timeline.lastDay == day("2025-05-25"))
    }
}
