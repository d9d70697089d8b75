import RxValues
import Testing
@testable import RxAdherence

/// Hand-computed cases for every corner of AdhereR's CMA family (design note cma.md).
@Suite struct CMAHandComputedTests {
    static let base = day("2020-01-01")

    static func event(_ offset: Int, _ duration: Int, dose: Int64 = 1, medication: Int32 = 1) -> MedicationEvent {
        MedicationEvent(date: base + offset, duration: duration, dailyDose: ExactDecimal(dose), medication: medication)
    }

    /// FUW [0, 200], OW [20, 120] (L = 100); events on days 0, 25, 50, 100 and 150 (after the OW).
    static let options = CMAOptions(followUpStart: .days(0), followUpDuration: .days(200),
                                    observationStart: .days(20), observationDuration: .days(100))
    static let events = [event(0, 30), event(25, 20), event(50, 30), event(100, 40), event(150, 30)]

    static func value(_ kind: CMAKind, _ events: [MedicationEvent] = events, _ options: CMAOptions = options)
        throws -> Double {
        try #require(try cma(kind, events: events, options: options).number)
    }

    @Test func simpleMeasures() throws {
        // CMA1: supply of OW events but the last (20 + 30) over 25 → 100.
        #expect(abs(try Self.value(.cma1) - 50.0 / 75) < 1e-12)
        // CMA2: all OW supply (90) over first OW event → OW end (95 days).
        #expect(abs(try Self.value(.cma2) - 90.0 / 95) < 1e-12)
        #expect(abs(try Self.value(.cma3) - 50.0 / 75) < 1e-12)
        #expect(abs(try Self.value(.cma4) - 90.0 / 95) < 1e-12)
        // CMA5: gaps 5 and 20 inside the OW, stock starting empty at day 25.
        #expect(abs(try Self.value(.cma5) - (1 - 25.0 / 75)) < 1e-12)
        #expect(abs(try Self.value(.cma6) - (1 - 25.0 / 95)) < 1e-12)
        // CMA7: the day-0 fill's 5 leftover days bridge the first gap; only 51–70 stay uncovered.
        #expect(abs(try Self.value(.cma7) - 0.8) < 1e-12)
        // CMA8: the pre-OW supply lasts to day 30, so the window shrinks to [30, 120].
        #expect(abs(try Self.value(.cma8) - (1 - 20.0 / 90)) < 1e-12)
        // CMA9: 5·1 + 25·1 + 50·0.6 + 20·0.8 over 100 OW days.
        #expect(abs(try Self.value(.cma9) - 0.76) < 1e-12)
    }

    @Test func capsAndSpecialValues() throws {
        // Only OW event dated exactly at the OW end: CMA2 divides by zero.
        let options = CMAOptions(followUpStart: .days(0), followUpDuration: .days(100),
                                 observationStart: .days(10), observationDuration: .days(40))
        let events = [Self.event(0, 10), Self.event(50, 10)]
        #expect(try cma(.cma1, events: events, options: options) == .notAvailable)
        #expect(try cma(.cma2, events: events, options: options) == .infinite)
        #expect(try cma(.cma4, events: events, options: options) == .value(1))
        #expect(try cma(.cma5, events: events, options: options) == .notAvailable)
        #expect(try cma(.cma6, events: events, options: options) == .notANumber)
        // CMA7: the 40 uncovered days before the OW event fill the whole window.
        #expect(try cma(.cma7, events: events, options: options) == .value(0))
        // CMA3 caps an over-supplied CMA1.
        let stockpile = [Self.event(0, 90), Self.event(30, 90), Self.event(60, 30)]
        let wide = CMAOptions(observationStart: .days(0), observationDuration: .days(365))
        #expect(try cma(.cma1, events: stockpile, options: wide) == .value(3))
        #expect(try cma(.cma3, events: stockpile, options: wide) == .value(1))
    }

    @Test func cma7WithoutWindowEvents() throws {
        let options = Self.options
        // The pre-OW event's interval runs to the OW end: 110 gap days > L → 0.
        #expect(try cma(.cma7, events: [Self.event(0, 10)], options: options) == .value(0))
        // 70 gap days ≤ L → 1 − 70/100.
        let partial = try Self.value(.cma7, [Self.event(0, 50)])
        #expect(abs(partial - 0.3) < 1e-12)
        // No event inside the FUW at all (the FUW starts 10 days after the only event): NA.
        let late = CMAOptions(followUpStart: .days(10), followUpDuration: .days(200),
                              observationStart: .days(0), observationDuration: .days(100))
        #expect(try cma(.cma7, events: [Self.event(0, 50)], options: late) == .notAvailable)
        #expect(try cma(.cma9, events: [Self.event(0, 50)], options: late) == .notAvailable)
    }

    @Test func observationWindowMustLieInsideFollowUp() {
        let options = CMAOptions(observationStart: .days(0), observationDuration: .days(800))
        #expect(throws: CMAError.observationOutsideFollowUp) {
            try cma(.cma1, events: [Self.event(0, 10)], options: options)
        }
    }

    @Test func sameDayEventsKeepInputOrder() throws {
        let options = CMAOptions(observationStart: .days(0), observationDuration: .days(100))
        let first = [Self.event(0, 10), Self.event(30, 20), Self.event(30, 40)]
        let swapped = [Self.event(0, 10), Self.event(30, 40), Self.event(30, 20)]
        // The later input row is "last" and excluded from CMA1's numerator.
        #expect(try cma(.cma1, events: first, options: options) == .value(1))
        #expect(abs(try Self.value(.cma1, swapped, options) - 50.0 / 30) < 1e-12)
    }

    @Test func carryOnlyForSameMedicationIsOneStock() throws {
        // A (30 days) → B on day 10 → A on day 20; OW [0, 40].
        let events = [Self.event(0, 30, medication: 1), Self.event(10, 10, medication: 2),
                      Self.event(20, 10, medication: 1)]
        var options = CMAOptions(followUpStart: .days(0), followUpDuration: .days(100),
                                 observationStart: .days(0), observationDuration: .days(40))
        #expect(try cma(.cma7, events: events, options: options) == .value(1))
        options.carryOnlyForSameMedication = true
        // A's leftover is lost at B and does not come back with A: 10 gap days.
        #expect(try cma(.cma7, events: events, options: options) == .value(0.75))
    }

    @Test func dosageChangeRescalesLeftover() throws {
        // 100 days at dose 2, then 10 days at dose 3 on day 50: 50 leftover days become 33.33.
        let events = [Self.event(0, 100, dose: 2), Self.event(50, 10, dose: 3)]
        var options = CMAOptions(followUpStart: .days(0), followUpDuration: .days(200),
                                 observationStart: .days(0), observationDuration: .days(100))
        #expect(try cma(.cma7, events: events, options: options) == .value(1))
        options.considerDosageChange = true
        let rescaled = try Self.value(.cma7, events, options)
        #expect(abs(rescaled - (1 - (40 - 100.0 / 3) / 100)) < 1e-12)
    }

    @Test func treatmentEpisodesSplitOnLongGaps() throws {
        let episodes = try treatmentEpisodes(events: Self.events, options: Self.options,
                                             episodes: TreatmentEpisodeOptions(maximumPermissibleGap: .days(15)))
        // Gaps over the FUW: 0, 0, 20, 10, 20 (the last measured to the FUW end, day 200).
        #expect(episodes.count == 2)
        #expect(episodes[0].start == Self.base && episodes[0].end == Double((Self.base + 80).number))
        #expect(episodes[0].endGapDays == 20)
        #expect(episodes[1].start == Self.base + 100)
        #expect(episodes[1].end == Double((Self.base + 180).number))
        #expect(episodes[1].duration == 80)
        // Percent of the duration before the gap: 50 % of 30 = 15 days, same split.
        let percent = try treatmentEpisodes(
            events: Self.events, options: Self.options,
            episodes: TreatmentEpisodeOptions(maximumPermissibleGap: .percentOfDuration(50)))
        #expect(percent == episodes)
    }

    @Test func lastEpisodeEndUsesGreaterOrEqual() throws {
        // MPG 20: the interior 20-day gap does not split (strictly greater needed) …
        let at20 = try treatmentEpisodes(events: Self.events, options: Self.options,
                                         episodes: TreatmentEpisodeOptions(maximumPermissibleGap: .days(20)))
        #expect(at20.count == 1)
        // … but the final 20-day gap does end the last episode early (≥).
        #expect(at20[0].end == Double((Self.base + 180).number))
        let at25 = try treatmentEpisodes(events: Self.events, options: Self.options,
                                         episodes: TreatmentEpisodeOptions(maximumPermissibleGap: .days(25)))
        #expect(at25.count == 1 && at25[0].end == Double((Self.base + 200).number))
    }

    @Test func medicationChangeStartsEpisode() throws {
        let events = [Self.event(0, 30, medication: 1), Self.event(20, 30, medication: 2)]
        let options = CMAOptions(followUpStart: .days(0), followUpDuration: .days(100),
                                 observationStart: .days(0), observationDuration: .days(100))
        let split = try treatmentEpisodes(events: events, options: options)
        #expect(split.count == 2)
        // Overlapping supply at a switch: the first episode ends the day the next starts.
        #expect(split[0].end == Double((Self.base + 20).number) && split[0].endGapDays == 0)
        // The 10 leftover days still shrink the final gap: 80 − 30 − 10 = 40 < 180, so it runs to the FUW end.
        #expect(split[1].end == Double((Self.base + 100).number) && split[1].endGapDays == 40)
        let joined = try treatmentEpisodes(events: events, options: options,
                                           episodes: TreatmentEpisodeOptions(medicationChangeMeansNewEpisode: false))
        #expect(joined.count == 1)
    }

    @Test func fractionalEpisodeEndWithDoseRescaling() throws {
        let events = [Self.event(0, 100, dose: 2), Self.event(50, 10, dose: 3)]
        let options = CMAOptions(followUpStart: .days(0), followUpDuration: .days(200),
                                 observationStart: .days(0), observationDuration: .days(100),
                                 considerDosageChange: true)
        let episodes = try treatmentEpisodes(events: events, options: options,
                                             episodes: TreatmentEpisodeOptions(maximumPermissibleGap: .days(30)))
        #expect(episodes.count == 1)
        // Final gap 150 − 10 − 33.33 = 106.67 days: truncated in the gap column, not in the end.
        #expect(episodes[0].endGapDays == 106)
        #expect(abs(episodes[0].duration - (200 - 320.0 / 3)) < 1e-9)
        #expect(episodes[0].endDay == Self.base + 93)
    }

    @Test func perEpisodeCMA() throws {
        let results = try cmaPerEpisode(.cma1, events: Self.events, options: Self.options,
                                        episodes: TreatmentEpisodeOptions(maximumPermissibleGap: .days(15)))
        #expect(results.count == 2)
        // Episode 1 ∩ OW = [20, 80]: events on 25 and 50 → 20 / 25.
        #expect(results[0].windowStart == Double((Self.base + 20).number))
        #expect(results[0].windowEnd == Double((Self.base + 80).number))
        #expect(results[0].value == .value(0.8))
        // Episode 2 ∩ OW = [100, 120] holds one event: NA; the unclipped duration is kept.
        #expect(results[1].value == .notAvailable)
        #expect(results[1].episode.duration == 80)
        // CMA7 inside the episodes.
        let cma7 = try cmaPerEpisode(.cma7, events: Self.events, options: Self.options,
                                     episodes: TreatmentEpisodeOptions(maximumPermissibleGap: .days(15)))
        #expect(cma7.map(\.value) == [.value(1), .value(1)])
    }

    static func appended(_ gap: MaximumPermissibleGap, medicationChange: Bool = true) -> TreatmentEpisodeOptions {
        TreatmentEpisodeOptions(maximumPermissibleGap: gap, medicationChangeMeansNewEpisode: medicationChange,
                                appendMaximumPermissibleGap: true)
    }

    @Test func appendedGapExtendsGapEndedEpisodes() throws {
        // Gaps 0, 0, 20, 10, 20; MPG 15 splits after day 50. Each episode ends 15 days after its
        // supply ran out: 80 + 15 = 95 and 180 + 15 = 195 (the last gap, 20, is over MPG).
        let episodes = try treatmentEpisodes(events: Self.events, options: Self.options, episodes: Self.appended(.days(15)))
        #expect(episodes.count == 2)
        #expect(episodes[0].start == Self.base && episodes[0].end == Double((Self.base + 95).number))
        #expect(episodes[1].start == Self.base + 100 && episodes[1].end == Double((Self.base + 195).number))
        #expect(episodes.map(\.duration) == [95, 95])
        // The end gap stays the whole gap.
        #expect(episodes.map(\.endGapDays) == [20, 20])
        // Same splits as without the option: only the ends move.
        let plain = try treatmentEpisodes(events: Self.events, options: Self.options,
                                          episodes: TreatmentEpisodeOptions(maximumPermissibleGap: .days(15)))
        #expect(plain.map(\.start) == episodes.map(\.start))
        #expect(plain.map(\.end) == [80, 180].map { Double((Self.base + $0).number) })
    }

    @Test func appendedGapOnTheLastEpisode() throws {
        // One 30-day event, FUW [0, 100]: final gap 70 ≥ MPG 30. Without the option the episode ends
        // on day 30; with it on day 60 (AdhereR's one-episode branch would give 100 − 70 − 30 = 0).
        let options = CMAOptions(followUpStart: .days(0), followUpDuration: .days(100),
                                 observationStart: .days(0), observationDuration: .days(100))
        let single = [Self.event(0, 30)]
        let plain = try treatmentEpisodes(events: single, options: options,
                                          episodes: TreatmentEpisodeOptions(maximumPermissibleGap: .days(30)))
        #expect(plain.map(\.end) == [Double((Self.base + 30).number)])
        let appended = try treatmentEpisodes(events: single, options: options, episodes: Self.appended(.days(30)))
        #expect(appended.map(\.end) == [Double((Self.base + 60).number)])
        #expect(appended.map(\.endGapDays) == [70] && appended.map(\.duration) == [60])
        // A final gap equal to MPG: ≥ ends the plain episode at the supply end (day 180), the
        // appended end is 180 + 20, the FUW end itself.
        let at20 = try treatmentEpisodes(events: Self.events, options: Self.options, episodes: Self.appended(.days(20)))
        #expect(at20.count == 1 && at20[0].end == Double((Self.base + 200).number))
        // A gap under MPG: the episode runs to the FUW end, with or without the option.
        let under = try treatmentEpisodes(events: single, options: options, episodes: Self.appended(.days(80)))
        #expect(under.map(\.end) == [Double((Self.base + 100).number)])
    }

    @Test func appendedGapAtAMedicationChange() throws {
        // A (30 days) on day 0, B (30 days) on day 40, FUW [0, 100]: gaps 10 and 30; MPG 20.
        let events = [Self.event(0, 30, medication: 1), Self.event(40, 30, medication: 2)]
        let options = CMAOptions(followUpStart: .days(0), followUpDuration: .days(100),
                                 observationStart: .days(0), observationDuration: .days(100))
        let plain = try treatmentEpisodes(events: events, options: options,
                                          episodes: TreatmentEpisodeOptions(maximumPermissibleGap: .days(20)))
        #expect(plain.map(\.end) == [30, 70].map { Double((Self.base + $0).number) })
        // The change ended episode 1 with a gap (10) within MPG: appending reaches the next start, day 40,
        // so the short gap belongs to the episode. Episode 2's gap 30 > 20: 70 + 20 = 90.
        let appended = try treatmentEpisodes(events: events, options: options, episodes: Self.appended(.days(20)))
        #expect(appended.map(\.end) == [40, 90].map { Double((Self.base + $0).number) })
        #expect(appended.map(\.endGapDays) == [10, 30])
        // B on day 80 instead: a 50-day gap over MPG at the change, so episode 1 ends at 30 + 20 = 50.
        let late = [Self.event(0, 30, medication: 1), Self.event(80, 10, medication: 2)]
        let lateEpisodes = try treatmentEpisodes(events: late, options: options, episodes: Self.appended(.days(20)))
        #expect(lateEpisodes.map(\.end) == [50, 100].map { Double((Self.base + $0).number) })
    }

    @Test func appendedPercentGapUsesTheLastEventsDuration() throws {
        // 40 % of each duration: thresholds 12, 8, 12, 16, 12 for gaps 0, 0, 20, 10, 20. Only the
        // 20-day gap after day 50 splits (10 ≤ 16). Episode 1 ends 12 days (40 % of day 50's 30 days)
        // after its supply ran out: 92; episode 2's last event (day 150, 30 days) gives 180 + 12 = 192,
        // not the 16 days of its first event.
        let episodes = try treatmentEpisodes(events: Self.events, options: Self.options,
                                             episodes: Self.appended(.percentOfDuration(40)))
        #expect(episodes.map(\.start) == [Self.base, Self.base + 100])
        #expect(episodes.map(\.end) == [92, 192].map { Double((Self.base + $0).number) })
        // 25 %: fractional thresholds 7.5 (30 days) give fractional ends, printed as their floor.
        let quarter = try treatmentEpisodes(events: Self.events, options: Self.options,
                                            episodes: Self.appended(.percentOfDuration(25)))
        #expect(quarter.map(\.end) == [87.5, 187.5].map { Double(Self.base.number) + $0 })
        #expect(quarter.map(\.endDay) == [Self.base + 87, Self.base + 187])
    }

    @Test func perEpisodeCMAWithAppendedGap() throws {
        // Episodes [0, 95] and [100, 195]; OW [20, 120]. Episode 1's window is [20, 95] (L = 75):
        // the day-50 supply ends on day 80, leaving 15 uncovered days, so CMA7 = 1 − 15/75 = 0.8
        // (without the option the window stops at day 80 and CMA7 is 1).
        let cma7 = try cmaPerEpisode(.cma7, events: Self.events, options: Self.options, episodes: Self.appended(.days(15)))
        #expect(cma7.map(\.windowStart) == [20, 100].map { Double((Self.base + $0).number) })
        #expect(cma7.map(\.windowEnd) == [95, 120].map { Double((Self.base + $0).number) })
        try #require(cma7.count == 2)
        let first = try #require(cma7[0].value.number)
        #expect(abs(first - 0.8) < 1e-12)
        #expect(cma7[1].value == .value(1))
        #expect(cma7.map(\.episode.duration) == [95, 95])
        // CMA6 in episode 1: stock empty at day 25, gaps 5 (25 + 20 → 50) and 15 (80 → 95) over 95 − 25.
        let cma6 = try cmaPerEpisode(.cma6, events: Self.events, options: Self.options, episodes: Self.appended(.days(15)))
        let appended6 = try #require(cma6.first?.value.number)
        #expect(abs(appended6 - (1 - 20.0 / 70)) < 1e-12)
        let plain6 = try cmaPerEpisode(.cma6, events: Self.events, options: Self.options,
                                       episodes: TreatmentEpisodeOptions(maximumPermissibleGap: .days(15)))
        let unappended6 = try #require(plain6.first?.value.number)
        #expect(abs(unappended6 - (1 - 5.0 / 55)) < 1e-12)
    }

    @Test func slidingWindows() throws {
        let windows = try cmaSlidingWindows(.cma7, events: Self.events, options: Self.options, length: 40, step: 30)
        // Only windows fully inside the OW: [20,60], [50,90], [80,120].
        #expect(windows.map(\.start) == [Self.base + 20, Self.base + 50, Self.base + 80])
        #expect(windows.map(\.value) == [.value(1), .value(0.75), .value(0.5)])
        let cma1 = try cmaSlidingWindows(.cma1, events: Self.events, options: Self.options, length: 40, step: 30)
        #expect(cma1.map(\.value) == [.value(0.8), .notAvailable, .notAvailable])
        #expect(throws: CMAError.badSlidingWindow) {
            try cmaSlidingWindows(.cma1, events: Self.events, options: Self.options, length: 0, step: 30)
        }
    }
}
