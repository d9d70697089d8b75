import RxValues
import Testing
@testable import RxAdherence

/// Properties over seeded random members: supply placement and the measures built on it.
@Suite struct SupplyPropertyTests {
    struct Member {
        var events: [SupplyEvent]
        var stays: [Stay]
    }

    static let year = Period(Day(year: 2025, month: 1, day: 1) ?? Day(number: 0),
                             Day(year: 2025, month: 12, day: 31) ?? Day(number: 0))

    static func members(seed: UInt64, count: Int, withStays: Bool) -> [Member] {
        var random = SeededGenerator(seed: seed)
        return (0..<count).map { _ in
            let fills = Int.random(in: 1...12, using: &random)
            let events = (0..<fills).map { index in
                SupplyEvent(start: year.start + Int.random(in: -90...380, using: &random),
                            daysSupply: [7, 14, 30, 30, 60, 90].randomElement(using: &random) ?? 30,
                            drugKey: Int32.random(in: 1...3, using: &random), claimIndex: Int32(index))
            }
            var stays: [Stay] = []
            if withStays {
                for _ in 0..<Int.random(in: 0...2, using: &random) {
                    let start = year.start + Int.random(in: 0...360, using: &random)
                    stays.append(Stay(period: Period(start, start + Int.random(in: 0...14, using: &random))))
                }
            }
            return Member(events: events, stays: stays)
        }
    }

    static func isNormal(_ periods: [Period]) -> Bool {
        for period in periods where period.isEmpty { return false }
        for (left, right) in zip(periods, periods.dropFirst()) where left.end.number + 1 >= right.start.number {
            return false
        }
        return true
    }

    @Test(arguments: [false, true])
    func pdcIsAProportionAndTimelinesAreNormal(withStays: Bool) throws {
        var scratch = SupplyScratch()
        for member in Self.members(seed: 42, count: 400, withStays: withStays) {
            for rule in OverlapRule.allCases {
                for carryIn in [false, true] {
                    let options = SupplyOptions(overlap: rule, carryIn: carryIn, stays: member.stays)
                    let result = pdc(member.events, period: Self.year, options: options)
                    #expect(result.numerator >= 0 && result.numerator <= result.denominator)
                    if let ratio = result.ratio { #expect(ratio <= Fraction(1, 1) ?? ratio) }
                    let timeline = result.supply.timeline
                    #expect(Self.isNormal(timeline.intervals))
                    for interval in timeline.intervals { #expect(interval.start >= Self.year.start && interval.end <= Self.year.end) }
                    for stay in member.stays {
                        #expect(!timeline.intervals.contains { $0.overlaps(stay.period) }, "stay days are never covered")
                    }
                    // The scratch-reusing timeline (the engine's path) is the same timeline.
                    let reused = supplyTimeline(member.events, window: Self.year, options: options, scratch: &scratch)
                    #expect(reused == timeline)
                    let counts = coveredDays(member.events, window: Self.year, options: options, scratch: &scratch)
                    #expect(counts.covered == result.numerator && counts.denominator == result.denominator)
                    // Gaps and covered days partition the non-stay window days.
                    let gapDays = timeline.gaps(within: Self.year).reduce(0) { $0 + $1.dayCount }
                    #expect(gapDays + result.numerator == result.denominator)
                }
            }
        }
    }

    @Test func doseRescalingKeepsTimelinesValid() {
        var random = SeededGenerator(seed: 11)
        var scratch = SupplyScratch()
        for member in Self.members(seed: 11, count: 300, withStays: true) {
            let events = member.events.map { event -> SupplyEvent in
                var copy = event
                copy.dose = ExactDecimal(Int64([1, 2, 3, 4].randomElement(using: &random) ?? 1))
                return copy
            }
            for rule in OverlapRule.allCases {
                let options = SupplyOptions(overlap: rule, dose: .quantityPerDay, stays: member.stays)
                let result = pdc(events, period: Self.year, options: options)
                #expect(result.numerator >= 0 && result.numerator <= result.denominator)
                #expect(Self.isNormal(result.supply.timeline.intervals))
                for placement in result.supply.placements where !placement.placed.isEmpty {
                    #expect(placement.placed.start >= placement.raw.start)
                }
                let counts = coveredDays(events, window: Self.year, options: options, scratch: &scratch)
                #expect(counts.covered == result.numerator)
            }
        }
    }

    @Test(arguments: [false, true])
    func shiftingNeverLosesCoverage(withStays: Bool) {
        for member in Self.members(seed: 7, count: 400, withStays: withStays) {
            func covered(_ rule: OverlapRule) -> Int {
                pdc(member.events, period: Self.year, options: SupplyOptions(overlap: rule, stays: member.stays)).numerator
            }
            let union = covered(.union), sameDrug = covered(.shiftSameDrug), all = covered(.shiftAll)
            #expect(union <= sameDrug, "union \(union) > shift_same_drug \(sameDrug)")
            #expect(sameDrug <= all, "shift_same_drug \(sameDrug) > shift_all \(all)")
        }
    }

    @Test func unionMatchesDayByDayMarking() {
        for member in Self.members(seed: 99, count: 300, withStays: false) {
            var marked = Set<Int32>()
            for event in member.events where event.start >= Self.year.start && event.daysSupply > 0 {
                for offset in 0..<event.daysSupply {
                    let day = event.start + offset
                    if Self.year.contains(day) { marked.insert(day.number) }
                }
            }
            let result = pdc(member.events, period: Self.year, options: SupplyOptions(overlap: .union))
            #expect(result.numerator == marked.count)
        }
    }

    @Test func mprIsAtLeastPdcWithoutTruncation() throws {
        for member in Self.members(seed: 2024, count: 400, withStays: false) {
            let inYear = member.events.filter { Self.year.contains($0.start) }
            let noneTruncated = inYear.allSatisfy { $0.rawPeriod.end <= Self.year.end }
            guard noneTruncated, !inYear.isEmpty else { continue }
            let coverage = pdc(inYear, period: Self.year)
            let possession = mpr(inYear, period: Self.year, variant: .period)
            let pdcRatio = try #require(coverage.ratio), mprRatio = try #require(possession.ratio)
            #expect(mprRatio >= pdcRatio)
            #expect(possession.numerator >= coverage.numerator)
        }
    }

    @Test func episodesAndGapsAgree() {
        for member in Self.members(seed: 5, count: 300, withStays: false) {
            let supply = placeSupply(member.events, window: Self.year, options: .pqa)
            let timeline = supply.timeline
            for maxGap in [0, 15, 30, 60] {
                let episodes = timeline.episodes(maxGap: maxGap)
                let longGaps = timeline.gaps(within: Period(timeline.firstDay ?? Self.year.start,
                                                            timeline.lastDay ?? Self.year.start), longerThan: maxGap)
                #expect(episodes.count == (timeline.intervals.isEmpty ? 0 : longGaps.count + 1))
                // Persistence with the same fixed gap splits at the same places.
                let walk = persistence(supply, gap: .days(maxGap))
                #expect(walk.episodes.map(\.start) == episodes.map(\.start))
                #expect(walk.episodes.map(\.end) == episodes.map(\.end))
            }
        }
    }
}

/// Timeline algebra on small hand cases.
@Suite struct TimelineTests {
    @Test func normalizesAndAnswers() {
        let timeline = Timeline(covering: [period("2025-01-10", "2025-01-20"), period("2025-01-01", "2025-01-05"),
                                           period("2025-01-06", "2025-01-07"), period("2025-01-15", "2025-01-25"),
                                           period("2025-02-02", "2025-02-01")])
        #expect(timeline.intervals == [period("2025-01-01", "2025-01-07"), period("2025-01-10", "2025-01-25")])
        let january = period("2025-01-01", "2025-01-31")
        #expect(timeline.coveredDays(within: january) == 23)
        #expect(timeline.gaps(within: january) == [period("2025-01-08", "2025-01-09"), period("2025-01-26", "2025-01-31")])
        #expect(timeline.firstGap(within: january, longerThan: 2) == period("2025-01-26", "2025-01-31"))
        #expect(timeline.firstGap(longerThan: 1) == period("2025-01-08", "2025-01-09"))
        #expect(timeline.firstGap(longerThan: 2) == nil)
        #expect(timeline.episodes(maxGap: 2).map(\.days) == [25])
        #expect(timeline.episodes(maxGap: 1).map(\.days) == [7, 16])
        #expect(timeline.lastDay == day("2025-01-25"))
        #expect(timeline.clipped(to: period("2025-01-05", "2025-01-12")).intervals ==
                [period("2025-01-05", "2025-01-07"), period("2025-01-10", "2025-01-12")])
        let other = Timeline(covering: [period("2025-01-07", "2025-01-11")])
        #expect(timeline.intersection(other).intervals == [period("2025-01-07", "2025-01-07"),
                                                           period("2025-01-10", "2025-01-11")])
        #expect(timeline.union(other).intervals == [period("2025-01-01", "2025-01-25")])
    }

    @Test func staysAreRemovedAndNotGaps() {
        let timeline = Timeline(covering: [period("2025-01-01", "2025-01-31")],
                                stays: [period("2025-01-10", "2025-01-12"), period("2025-02-03", "2025-02-04")])
        #expect(timeline.intervals == [period("2025-01-01", "2025-01-09"), period("2025-01-13", "2025-01-31")])
        let window = period("2025-01-01", "2025-02-05")
        #expect(timeline.stayDays(within: window) == 5)
        #expect(timeline.gaps(within: window) == [period("2025-02-01", "2025-02-02"), period("2025-02-05", "2025-02-05")])
        // A stay between two covered runs is not a gap day.
        #expect(timeline.episodes(maxGap: 0).count == 1)
    }

    @Test func enrollmentContinuityWithAnAllowedGap() {
        let year = period("2025-01-01", "2025-12-31")
        let spans = [period("2025-01-01", "2025-03-31"), period("2025-03-15", "2025-06-30"),
                     period("2025-07-01", "2025-08-31"), period("2025-10-01", "2025-12-31")]
        let oneMonthGap = enrollmentContinuity(spans: spans, over: year, allowedGapDays: 31, allowedGapCount: 1)
        #expect(oneMonthGap.gaps == [period("2025-09-01", "2025-09-30")])
        #expect(oneMonthGap.isContinuous)
        #expect(oneMonthGap.enrolledDays == 335)
        #expect(!enrollmentContinuity(spans: spans, over: year, allowedGapDays: 29, allowedGapCount: 1).isContinuous)
        #expect(!enrollmentContinuity(spans: spans, over: year, allowedGapDays: 31, allowedGapCount: 0).isContinuous)
    }

    @Test func ageEligibilityConventions() {
        let year = period("2025-01-01", "2025-12-31")
        let birth = day("2007-06-15")
        #expect(!meetsMinimumAge(birth: birth, minimumAge: 18, period: year, reference: .firstDay))
        #expect(meetsMinimumAge(birth: birth, minimumAge: 18, period: year, reference: .lastDay))
    }

    @Test func shiftAllAndDoseRescaling() throws {
        let window = period("2025-01-01", "2025-12-31")
        // Drug 2 arrives while drug 1 is on hand: shift_all queues it, shift_same_drug does not.
        let events = [fill("2025-01-01", 30, drug: 1, claim: 0), fill("2025-01-21", 30, drug: 2, claim: 1)]
        let queued = placeSupply(events, window: window, options: SupplyOptions(overlap: .shiftAll))
        #expect(queued.placements[1].placed == period("2025-01-31", "2025-03-01"))
        #expect(queued.placements[1].reasons == [.shiftedBehindOtherDrug])
        #expect(queued.placements[1].shiftedBehind == 0)
        #expect(placeSupply(events, window: window, options: .pqa).placements[1].shiftDays == 0)
        // 60 tablets/day-2 supply: on 31 Jan 30 days remain at 2/day; the new dose 4/day halves them to 15.
        let two = try #require(ExactDecimal("2")), four = try #require(ExactDecimal("4"))
        let doses = [fill("2025-01-01", 60, dose: two, claim: 0), fill("2025-01-31", 30, dose: four, claim: 1)]
        let rescaled = placeSupply(doses, window: window, options: SupplyOptions(dose: .quantityPerDay))
        #expect(rescaled.placements[0].placed == period("2025-01-01", "2025-02-14"))
        #expect(rescaled.placements[0].reasons.contains(.doseRescaled))
        #expect(rescaled.placements[1].placed == period("2025-02-15", "2025-03-16"))
        let plain = placeSupply(doses, window: window, options: .pqa)
        #expect(plain.placements[1].placed == period("2025-03-02", "2025-03-31"))
        // A shifted chain: on 1 Feb, 1 Feb–30 Apr (89 days at 2/day) is on hand across two fills;
        // at 4/day that is 44 days (44.5 rounded down), so the chain now ends 16 Mar.
        let chain = [fill("2025-01-01", 60, dose: two, claim: 0), fill("2025-01-20", 60, dose: two, claim: 1),
                     fill("2025-02-01", 30, dose: four, claim: 2)]
        let rescaledChain = placeSupply(chain, window: window, options: SupplyOptions(dose: .quantityPerDay))
        #expect(rescaledChain.placements.map(\.placed) ==
                [period("2025-01-01", "2025-03-01"), period("2025-03-02", "2025-03-16"),
                 period("2025-03-17", "2025-04-15")])
        // The same on hand shrinks past the first fill's end when the new dose is higher still.
        let eight = try #require(ExactDecimal("8"))
        let steep = [chain[0], chain[1], fill("2025-02-01", 30, dose: eight, claim: 2)]
        let steepChain = placeSupply(steep, window: window, options: SupplyOptions(dose: .quantityPerDay))
        // 89 × 2 / 8 = 22.25 → 22 days: 1–22 Feb; the second fill is left with nothing.
        #expect(steepChain.placements[0].placed == period("2025-01-01", "2025-02-22"))
        #expect(steepChain.placements[1].placed.isEmpty)
        #expect(steepChain.placements[2].placed == period("2025-02-23", "2025-03-24"))
    }

    @Test func carryInFromBeforeTheWindow() {
        let window = period("2025-01-01", "2025-12-31")
        let events = [fill("2024-12-15", 30, claim: 0), fill("2025-02-01", 30, claim: 1)]
        #expect(pdc(events, period: window).numerator == 30)
        // 2024-12-15 + 30 days covers 1–13 Jan.
        #expect(pdc(events, period: window, options: SupplyOptions(carryIn: true)).numerator == 43)
    }
}
