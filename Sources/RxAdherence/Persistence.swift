import RxValues

/// How many uncovered days are tolerated before therapy counts as stopped.
public enum PermissibleGap: Hashable, Sendable {
    /// A fixed number of days (typical: 30, 60, 90).
    case days(Int)
    /// A multiple of the days supply of the last fill before the gap (e.g. 1.5 × DS).
    case multipleOfLastSupply(ExactDecimal)

    /// Whether a gap of `gapDays` uncovered days is longer than allowed (strictly; exact arithmetic).
    public func isExceeded(byGap gapDays: Int, lastSupply: Int) -> Bool {
        switch self {
        case .days(let allowed):
            return gapDays > allowed
        case .multipleOfLastSupply(let multiple):
            return Int128(gapDays) * powerOfTen(Int(multiple.scale)) > Int128(multiple.units) * Int128(lastSupply)
        }
    }

    /// The allowed gap in whole days (a fractional allowance is rounded down).
    public func allowedDays(lastSupply: Int) -> Int {
        switch self {
        case .days(let allowed):
            return allowed
        case .multipleOfLastSupply(let multiple):
            let product = Int128(multiple.units) * Int128(lastSupply)
            return Int(truncatingIfNeeded: product / powerOfTen(Int(multiple.scale)))
        }
    }
}

/// Which day is reported as the discontinuation date.
public enum DiscontinuationConvention: String, Hashable, Sendable, CaseIterable {
    /// The last covered day of the episode (the common convention; RxRules' default).
    case lastCoveredDay = "last_covered_day"
    /// The last covered day plus the permissible gap.
    case lastCoveredDayPlusGap = "last_covered_day_plus_gap"
}

/// One persistence episode: covered days joined across tolerated gaps.
public struct PersistenceEpisode: Hashable, Sendable {
    /// First covered day.
    public var start: Day
    /// Last covered day.
    public var end: Day
    /// Whether a too-long gap (possibly running to the window end) ended it; false means censored.
    public var discontinued: Bool
    /// The discontinuation date under the chosen convention; nil when censored.
    public var discontinuationDate: Day?

    /// Days from start to last covered day, both counted.
    public var days: Int { end - start + 1 }
}

/// Persistence over a supply window.
public struct PersistenceResult: Hashable, Sendable {
    /// Episodes in date order.
    public var episodes: [PersistenceEpisode]

    /// The first covered day (therapy start), if any.
    public var indexDate: Day? { episodes.first?.start }
    /// Whether the first episode is censored (no discontinuation observed in the window).
    public var censored: Bool { !(episodes.first?.discontinued ?? false) }
    /// Days from the index date through the first discontinuation date, both counted; nil when censored.
    public var daysToDiscontinuation: Int? {
        guard let first = episodes.first, let date = first.discontinuationDate else { return nil }
        return date - first.start + 1
    }
    /// Days of the first episode (time at risk for a Kaplan–Meier input).
    public var persistentDays: Int { episodes.first?.days ?? 0 }

    /// The first episode as a Kaplan–Meier observation (time in days, event = discontinued).
    public var survivalObservation: SurvivalObservation? {
        guard let first = episodes.first else { return nil }
        return SurvivalObservation(time: daysToDiscontinuation ?? first.days, event: first.discontinued)
    }
}

/// Walks the placed supply and splits it into persistence episodes.
///
/// A run of uncovered days (stay days are not gap days) longer than `gap` ends an episode; a run at the
/// window end that is not yet too long leaves the last episode censored. For a DS-multiple gap the
/// "last DS" is that of the latest fill dated on or before the last covered day before the gap.
public func persistence(_ supply: SupplyResult, gap: PermissibleGap,
                        convention: DiscontinuationConvention = .lastCoveredDay) -> PersistenceResult {
    let intervals = supply.timeline.intervals
    let stays = supply.timeline.stays
    guard let first = intervals.first else { return PersistenceResult(episodes: []) }
    let placements = supply.placements

    func lastSupply(onOrBefore day: Day) -> Int {
        var low = 0, high = placements.count
        while low < high {
            let mid = (low + high) / 2
            if placements[mid].raw.start <= day { low = mid + 1 } else { high = mid }
        }
        return low > 0 ? placements[low - 1].raw.dayCount : 0
    }
    func uncovered(_ period: Period) -> Int {
        period.dayCount - Timeline.days(of: stays, within: period)
    }
    func closed(_ start: Day, _ end: Day) -> PersistenceEpisode {
        let allowed = gap.allowedDays(lastSupply: lastSupply(onOrBefore: end))
        let date = convention == .lastCoveredDay ? end : end + allowed
        return PersistenceEpisode(start: start, end: end, discontinued: true, discontinuationDate: date)
    }

    var episodes: [PersistenceEpisode] = []
    var start = first.start, end = first.end
    for interval in intervals.dropFirst() {
        let gapDays = uncovered(Period(end + 1, interval.start - 1))
        if gap.isExceeded(byGap: gapDays, lastSupply: lastSupply(onOrBefore: end)) {
            episodes.append(closed(start, end))
            start = interval.start
        }
        end = interval.end
    }
    let trailing = uncovered(Period(end + 1, supply.window.end))
    if gap.isExceeded(byGap: trailing, lastSupply: lastSupply(onOrBefore: end)) {
        episodes.append(closed(start, end))
    } else {
        episodes.append(PersistenceEpisode(start: start, end: end, discontinued: false, discontinuationDate: nil))
    }
    return PersistenceResult(episodes: episodes)
}

/// Convenience: places supply over `period` and walks persistence.
public func persistence(_ events: [SupplyEvent], period: Period, options: SupplyOptions = .pqa,
                        gap: PermissibleGap, convention: DiscontinuationConvention = .lastCoveredDay)
    -> PersistenceResult {
    persistence(placeSupply(events, window: period, options: options), gap: gap, convention: convention)
}

// MARK: - Enrollment continuity

/// Enrollment coverage over a period.
public struct EnrollmentContinuity: Hashable, Sendable {
    /// Uncovered runs inside the period, in date order.
    public var gaps: [Period]
    /// Whether the gaps stay within the allowance.
    public var isContinuous: Bool
    /// Enrolled days inside the period.
    public var enrolledDays: Int
}

/// Whether coverage `spans` (which may touch or overlap) cover `period` with at most `allowedGapCount`
/// gaps of at most `allowedGapDays` days each.
public func enrollmentContinuity(spans: [Period], over period: Period, allowedGapDays: Int,
                                 allowedGapCount: Int) -> EnrollmentContinuity {
    let timeline = Timeline(covering: spans)
    let gaps = timeline.gaps(within: period)
    let ok = gaps.count <= allowedGapCount && gaps.allSatisfy { $0.dayCount <= allowedGapDays }
    return EnrollmentContinuity(gaps: gaps, isContinuous: ok, enrolledDays: timeline.coveredDays(within: period))
}

// MARK: - Kaplan–Meier

/// One subject of a survival analysis: days to the event or to censoring.
public struct SurvivalObservation: Hashable, Sendable {
    /// Days from index to the event or to censoring.
    public var time: Int
    /// True for an observed event (discontinuation), false for censored.
    public var event: Bool

    /// Creates an observation.
    public init(time: Int, event: Bool) {
        self.time = time
        self.event = event
    }
}

/// One step of a Kaplan–Meier curve.
public struct SurvivalStep: Hashable, Sendable {
    /// The event time.
    public var time: Int
    /// Subjects at risk just before `time` (censored at `time` count as at risk).
    public var atRisk: Int
    /// Events at `time`.
    public var events: Int
    /// S(t) from this time on.
    public var survival: ExactDecimal
}

/// The Kaplan–Meier estimator S(t) = Π over event times tᵢ ≤ t of (1 − dᵢ/nᵢ).
///
/// S is exact decimal at `scale` digits: each step multiplies by (n − d)/n and rounds half-even
/// to `scale` digits (default 12, at most 18), so the rounding error stays below 10⁻¹² per step.
public struct KaplanMeier: Hashable, Sendable {
    /// Steps at each event time, in time order.
    public private(set) var steps: [SurvivalStep]
    /// Digits kept in S(t).
    public let scale: UInt8

    /// Estimates the curve for a cohort.
    public init(_ observations: [SurvivalObservation], scale requested: UInt8 = 12) {
        let scale = min(requested, 18)  // 10^18 still fits the Int64 units of an ExactDecimal
        self.scale = scale
        let sorted = observations.sorted { $0.time < $1.time }
        var steps: [SurvivalStep] = []
        var atRisk = sorted.count
        var survivalUnits = powerOfTen(Int(scale))
        var index = 0
        while index < sorted.count {
            let time = sorted[index].time
            var events = 0, leaving = 0
            while index < sorted.count, sorted[index].time == time {
                if sorted[index].event { events += 1 }
                leaving += 1
                index += 1
            }
            if events > 0 {
                let product = survivalUnits * Int128(atRisk - events)
                survivalUnits = KaplanMeier.divideHalfEven(product, Int128(atRisk))
                steps.append(SurvivalStep(time: time, atRisk: atRisk, events: events,
                                          survival: ExactDecimal(units: Int64(survivalUnits), scale: scale)))
            }
            atRisk -= leaving
        }
        self.steps = steps
    }

    /// S(t): the survival at day `time` (1 before the first event).
    public func survival(at time: Int) -> ExactDecimal {
        var result = ExactDecimal(units: Int64(powerOfTen(Int(scale))), scale: scale)
        for step in steps where step.time <= time { result = step.survival }
        return result
    }

    static func divideHalfEven(_ dividend: Int128, _ divisor: Int128) -> Int128 {
        let quotient = dividend / divisor, remainder = dividend % divisor
        let twice = remainder * 2
        if twice > divisor || (twice == divisor && quotient % 2 != 0) { return quotient + 1 }
        return quotient
    }
}

// MARK: - OMOP drug eras

/// How an exposure's end date is derived from its start and days supply.
public enum ExposureEndConvention: String, Hashable, Sendable, CaseIterable {
    /// start + DS − 1 (THEMIS, PQA; RxRules' default: the inclusive convention everywhere).
    case startPlusDaysSupplyMinusOne = "start_plus_ds_minus_1"
    /// start + DS (the public ETL-CMS era script: one day longer).
    case startPlusDaysSupply = "start_plus_ds"
}

/// An OMOP-style ingredient era.
public struct DrugEra: Hashable, Sendable {
    /// The ingredient (drug key).
    public var drugKey: Int32
    /// First exposed day.
    public var start: Day
    /// Last exposed day.
    public var end: Day
    /// Exposures merged into the era.
    public var exposureCount: Int
    /// Era days minus exposed days (overlaps are not shifted, so overlapping supply is lost).
    public var gapDays: Int

    /// Days in the era, both ends counted.
    public var days: Int { end - start + 1 }
}

/// OMOP `drug_era`: per ingredient, merge overlapping exposures without shifting, then join an exposure
/// that starts at most `persistenceWindow` days after the previous end (OHDSI's end-date padding: with the
/// default 30, up to 29 uncovered days in between). Negative days supply is dropped; zero days supply
/// counts as a one-day exposure. Eras are sorted by drug key, then start.
public func drugEras(_ exposures: [SupplyEvent], persistenceWindow: Int = 30,
                     endConvention: ExposureEndConvention = .startPlusDaysSupplyMinusOne) -> [DrugEra] {
    var items: [(key: Int32, period: Period)] = []
    items.reserveCapacity(exposures.count)
    for exposure in exposures where exposure.daysSupply >= 0 && exposure.daysSupply <= SupplyEvent.maximumDaysSupply {
        let length = max(1, exposure.daysSupply + (endConvention == .startPlusDaysSupply ? 1 : 0))
        items.append((exposure.drugKey, Period(exposure.start, exposure.start + (length - 1))))
    }
    items.sort { $0.key != $1.key ? $0.key < $1.key : $0.period.start < $1.period.start }
    var eras: [DrugEra] = []
    var current: DrugEra?
    var coverEnd = Day(number: 0)
    var exposed = 0
    func finish() {
        guard var era = current else { return }
        era.gapDays = era.days - exposed
        eras.append(era)
    }
    for item in items {
        if var era = current, era.drugKey == item.key,
           item.period.start - coverEnd <= persistenceWindow {
            // Exposed days: count only what extends past the merged coverage so far.
            if item.period.end > coverEnd {
                exposed += item.period.end - max(coverEnd, item.period.start - 1)
                coverEnd = item.period.end
            }
            era.end = max(era.end, item.period.end)
            era.exposureCount += 1
            current = era
        } else {
            finish()
            current = DrugEra(drugKey: item.key, start: item.period.start, end: item.period.end, exposureCount: 1,
                              gapDays: 0)
            coverEnd = item.period.end
            exposed = item.period.dayCount
        }
    }
    finish()
    return eras
}
