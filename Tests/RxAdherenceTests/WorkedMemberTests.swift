import RxValues
import Testing
@testable import RxAdherence

/// T11: every number of the domain guide's §1.8 worked member.
@Suite struct WorkedMemberTests {
    static let atorvastatin: Int32 = 1
    static let rosuvastatin: Int32 = 2
    let events = [
        fill("2025-02-01", 30, drug: atorvastatin, claim: 0), fill("2025-02-25", 30, drug: atorvastatin, claim: 1),
        fill("2025-04-20", 90, drug: atorvastatin, claim: 2), fill("2025-07-15", 90, drug: atorvastatin, claim: 3),
        fill("2025-10-15", 30, drug: rosuvastatin, claim: 4), fill("2025-12-19", 30, drug: rosuvastatin, claim: 5),
    ]
    let treatment = period("2025-02-01", "2025-12-31")
    let stay = Stay(period: period("2025-06-10", "2025-06-16"))

    @Test func eligibilityAndPeriod() {
        #expect(meetsTwoFillRule(events, within: period("2025-01-01", "2025-12-31")))
        #expect(treatmentPeriod(events, measurementPeriod: period("2025-01-01", "2025-12-31")) == treatment)
        #expect(treatment.dayCount == 334)
    }

    @Test func pdcWithoutStayAdjustment() throws {
        let result = pdc(events, period: treatment)
        #expect(result.numerator == 281)
        #expect(result.denominator == 334)
        let ratio = try #require(result.ratio)
        #expect(ratio.rounded(scale: 4) == ExactDecimal("0.8413"))
        #expect(ratio.isAtLeast(ExactDecimal(units: 80, scale: 2)))
        #expect(!ratio.isAtLeast(ExactDecimal(units: 8414, scale: 4)))
        let placed = result.supply.placements.map(\.placed)
        #expect(placed == [period("2025-02-01", "2025-03-02"), period("2025-03-03", "2025-04-01"),
                           period("2025-04-20", "2025-07-18"), period("2025-07-19", "2025-10-16"),
                           period("2025-10-15", "2025-11-13"), period("2025-12-19", "2026-01-17")])
        #expect(result.supply.placements.map(\.shiftDays) == [0, 6, 0, 4, 0, 0])
        #expect(result.supply.placements[5].truncatedDays == 17)
        #expect(result.supply.timeline.gaps(within: treatment).map(\.dayCount) == [18, 35])
    }

    @Test func pdcWithStayAdjustment() throws {
        let result = pdc(events, period: treatment, options: SupplyOptions(stays: [stay]))
        #expect(result.numerator == 274)
        #expect(result.denominator == 327)
        #expect(try #require(result.ratio).rounded(scale: 4) == ExactDecimal("0.8379"))
        let third = result.supply.placements[2]
        #expect(third.placed == period("2025-04-20", "2025-07-25"))
        #expect(third.pausedDays == 7)
        #expect(third.reasons.contains(.pausedByStay))
        #expect(result.supply.placements[3].placed == period("2025-07-26", "2025-10-23"))
        #expect(result.supply.timeline.intervals ==
                [period("2025-02-01", "2025-04-01"), period("2025-04-20", "2025-06-09"),
                 period("2025-06-17", "2025-11-13"), period("2025-12-19", "2025-12-31")])
        #expect(result.supply.timeline.stayDays(within: treatment) == 7)
        // The cheap counting path agrees with the evidence path.
        var scratch = SupplyScratch()
        let counts = coveredDays(events, window: treatment, options: SupplyOptions(stays: [stay]), scratch: &scratch)
        #expect(counts.covered == 274 && counts.denominator == 327)
    }

    @Test func stayDaysWithoutAdmissionAndDischarge() throws {
        // Excluding both end days leaves 11–15 Jun: F3 covers 20 Apr–10 Jun (52), resumes 16 Jun for 38 days.
        let shortStay = try #require(Stay(admission: day("2025-06-10"), discharge: day("2025-06-16"),
                                          countAdmissionDay: false, countDischargeDay: false))
        #expect(shortStay.period == period("2025-06-11", "2025-06-15"))
        let result = pdc(events, period: treatment, options: SupplyOptions(stays: [shortStay]))
        #expect(result.numerator == 60 + 52 + 151 + 13)
        #expect(result.denominator == 329)
        #expect(result.supply.placements[2].placed == period("2025-04-20", "2025-07-23"))
        #expect(Stay(admission: day("2025-06-10"), discharge: day("2025-06-10"), countDischargeDay: false) == nil)
    }

    @Test func evidenceLines() {
        let placements = pdc(events, period: treatment, options: SupplyOptions(stays: [stay])).supply.placements
        #expect(placements[1].description ==
                "claim 1: 2025-02-25..2025-03-26 -> 2025-03-03..2025-04-01 (shifted 6 days behind claim 0)")
        #expect(placements[2].description == "claim 2: 2025-04-20..2025-07-18 -> 2025-04-20..2025-07-25 (paused 7 stay days)")
        #expect(placements[5].description ==
                "claim 5: 2025-12-19..2026-01-17 -> 2025-12-19..2026-01-17 (17 days past the window cut off)")
    }

    @Test func mprVariants() {
        let untruncated = mpr(events, period: treatment, variant: .period)
        #expect(untruncated.ratio == Fraction(300, 334))
        #expect(untruncated.ratio?.rounded(scale: 3) == ExactDecimal("0.898"))
        let truncated = mpr(events, period: treatment, variant: .periodTruncated)
        #expect(truncated.numerator == 283 && truncated.denominator == 334)
        #expect(truncated.ratio?.rounded(scale: 3) == ExactDecimal("0.847"))
        let refill = mpr(events, period: treatment, variant: .refillInterval)
        #expect(refill.numerator == 270 && refill.denominator == 321)
        #expect(refill.ratio?.rounded(scale: 3) == ExactDecimal("0.841"))
        #expect(refill.name == "mpr_refill_interval")
        #expect(mpr(events, period: treatment, variant: .periodTruncated, capped: true).name ==
                "mpr_period_truncated_capped")
        // Truncated MPR exceeds PDC by exactly the two double-covered days.
        #expect(truncated.numerator - pdc(events, period: treatment).numerator == 2)
    }

    @Test func daysOnTherapy() {
        let dot = RxAdherence.daysOnTherapy(events, period: treatment, permissibleGap: .days(30))
        #expect(dot.dispensed == 300)
        #expect(dot.dispensedWithinPeriod == 283)
        #expect(dot.covered == 281)
        #expect(dot.duration == 286)
        #expect(RxAdherence.daysOnTherapy(events, period: treatment, permissibleGap: .days(60)).duration == 334)
    }

    @Test func persistenceAtThirtyDays() {
        let result = persistence(events, period: treatment, gap: .days(30))
        #expect(result.daysToDiscontinuation == 286)
        #expect(result.episodes.count == 2)
        #expect(result.episodes[0].end == day("2025-11-13"))
        #expect(result.episodes[1].start == day("2025-12-19"))
        #expect(result.episodes[1].days == 13)
        #expect(!result.episodes[1].discontinued)
        #expect(result.survivalObservation == SurvivalObservation(time: 286, event: true))
    }

    @Test(arguments: [60, 90])
    func persistenceAtLongGaps(_ gap: Int) {
        let result = persistence(events, period: treatment, gap: .days(gap))
        #expect(result.episodes.count == 1)
        #expect(result.episodes[0].days == 334)
        #expect(result.censored)
        #expect(result.daysToDiscontinuation == nil)
        #expect(result.survivalObservation == SurvivalObservation(time: 334, event: false))
    }

    @Test func persistenceAtHalfTheLastSupply() throws {
        let half = try #require(ExactDecimal("0.5"))
        let result = persistence(events, period: treatment, gap: .multipleOfLastSupply(half))
        #expect(result.daysToDiscontinuation == 60)
        #expect(result.episodes[0].end == day("2025-04-01"))
        #expect(PermissibleGap.multipleOfLastSupply(half).allowedDays(lastSupply: 30) == 15)
    }

    @Test func omopEras() {
        let eras = drugEras(events)
        #expect(eras.count == 3)
        #expect(eras[0] == DrugEra(drugKey: Self.atorvastatin, start: day("2025-02-01"), end: day("2025-10-12"),
                                   exposureCount: 4, gapDays: 24))
        #expect(eras[1] == DrugEra(drugKey: Self.rosuvastatin, start: day("2025-10-15"), end: day("2025-11-13"),
                                   exposureCount: 1, gapDays: 0))
        #expect(eras[2] == DrugEra(drugKey: Self.rosuvastatin, start: day("2025-12-19"), end: day("2026-01-17"),
                                   exposureCount: 1, gapDays: 0))
        // Persistence window boundary: a start 30 days after the previous end joins, 31 days does not.
        let joined = drugEras([fill("2025-01-01", 30, claim: 0), fill("2025-03-01", 30, claim: 1)])
        #expect(joined.count == 1 && joined[0].gapDays == 29)
        #expect(drugEras([fill("2025-01-01", 30, claim: 0), fill("2025-03-02", 30, claim: 1)]).count == 2)
        let etlCMS = drugEras(events, endConvention: .startPlusDaysSupply)
        #expect(etlCMS[0].gapDays == 23)
        #expect(etlCMS[0].end == day("2025-10-13"))
    }
}
