import RxValues
import Testing
@testable import RxAdherence

/// Exact ratios, Kaplan–Meier ties and calendar window offsets.
@Suite struct ValueTypeTests {
    @Test func fractionRoundingAndThresholds() throws {
        let twoThirds = try #require(Fraction(2, 3))
        #expect(twoThirds.rounded(scale: 4) == ExactDecimal("0.6667"))
        let eighth = try #require(Fraction(1, 8))
        #expect(eighth.rounded(scale: 2, rounding: .halfEven) == ExactDecimal("0.12"))
        #expect(eighth.rounded(scale: 2, rounding: .halfUp) == ExactDecimal("0.13"))
        let threshold = ExactDecimal(units: 80, scale: 2)
        #expect(try #require(Fraction(4, 5)).isAtLeast(threshold))
        #expect(!(try #require(Fraction(7999, 10000)).isAtLeast(threshold)))
        // 0.79996 displays as 0.8000 at four digits but is below the cliff.
        let nearly = try #require(Fraction(19999, 25000))
        #expect(nearly.rounded(scale: 4) == ExactDecimal("0.8000"))
        #expect(!nearly.isAtLeast(threshold))
        #expect(Fraction(1, 0) == nil)
        #expect(Fraction(1, 2) == Fraction(2, 4))
        #expect(Set([Fraction(1, 2), Fraction(2, 4)]).count == 1)
        #expect(Fraction(281, 334)?.description == "281/334")
        #expect(Fraction(90, 60)?.cappedAtOne == Fraction(1, 1))
    }

    @Test func kaplanMeierTiesCountCensoredAsAtRisk() {
        let cohort = [SurvivalObservation(time: 10, event: true), SurvivalObservation(time: 10, event: false),
                      SurvivalObservation(time: 10, event: true), SurvivalObservation(time: 20, event: true),
                      SurvivalObservation(time: 30, event: false)]
        let curve = KaplanMeier(cohort)
        #expect(curve.steps.map(\.atRisk) == [5, 2])
        #expect(curve.steps.map(\.events) == [2, 1])
        #expect(curve.survival(at: 10) == ExactDecimal("0.6"))
        #expect(curve.survival(at: 30) == ExactDecimal("0.3"))
        #expect(KaplanMeier([]).survival(at: 100) == ExactDecimal(1))
    }

    @Test func calendarMonthOffsetsClampAndDropEarlierEvents() throws {
        // FUW starts one calendar month after 31 Jan 2020: 29 Feb 2020; the first event falls before it.
        let events = [MedicationEvent(date: day("2020-01-31"), duration: 30),
                      MedicationEvent(date: day("2020-03-01"), duration: 30)]
        let options = CMAOptions(followUpStart: .months(1), followUpDuration: .days(365),
                                 observationStart: .days(0), observationDuration: .days(30))
        let value = try #require(try cma(.cma7, events: events, options: options).number)
        #expect(abs(value - (1 - 1.0 / 30)) < 1e-12)
        let far = CMAOptions(followUpStart: .days(10_000_000))
        #expect(throws: CMAError.dateOutOfRange) { try cma(.cma1, events: events, options: far) }
    }

    @Test func cmaValueRendering() {
        #expect(CMAValue.notAvailable.description == "NA")
        #expect(CMAValue.infinite.description == "Inf")
        #expect(CMAValue.notANumber.description == "NaN")
        #expect(CMAValue.notANumber.cappedAtOne == .notANumber)
        #expect(CMAKind.cma8.description == "CMA8")
    }
}
