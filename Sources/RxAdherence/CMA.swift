import RxValues

// AdhereR's continuous multiple-interval measures of medication availability (CMA1–CMA9), treatment
// episodes, per-episode and sliding-window CMAs, reproduced as AdhereR 0.8.1 computes them.
//
// Number choice: dates are whole days, but with dose rescaling carry-over and gaps become fractional
// (50 days at dose 2 are 33.33 days at dose 3), so gap arithmetic and the ratios use Double, exactly
// as the reference does. Nothing here is money. Undefined results are explicit (`CMAValue`).

/// One medication event for the CMA family.
public struct MedicationEvent: Hashable, Sendable {
    /// Event (dispensing) date.
    public var date: Day
    /// Duration in days (days supply).
    public var duration: Int
    /// Daily dose; only its ratios matter (`considerDosageChange`).
    public var dailyDose: ExactDecimal
    /// Medication class.
    public var medication: Int32

    /// Creates an event.
    public init(date: Day, duration: Int, dailyDose: ExactDecimal = ExactDecimal(1), medication: Int32 = 0) {
        self.date = date
        self.duration = duration
        self.dailyDose = dailyDose
        self.medication = medication
    }
}

/// A CMA estimate or the reason there is none.
public enum CMAValue: Hashable, Sendable, CustomStringConvertible {
    /// A finite estimate.
    case value(Double)
    /// Not computable (AdhereR `NA`): too few events, no events in the window.
    case notAvailable
    /// Division of a positive supply by zero days (AdhereR `Inf`).
    case infinite
    /// Zero over zero (AdhereR `NaN`).
    case notANumber

    /// The estimate, if finite.
    public var number: Double? {
        if case .value(let number) = self { return number }
        return nil
    }

    /// `min(1, self)`; `Inf` becomes 1, `NA` and `NaN` stay.
    public var cappedAtOne: CMAValue {
        switch self {
        case .value(let number): return .value(min(1, number))
        case .infinite: return .value(1)
        default: return self
        }
    }

    /// The number, or `NA`, `Inf`, `NaN` as AdhereR prints them.
    public var description: String {
        switch self {
        case .value(let number): return "\(number)"
        case .notAvailable: return "NA"
        case .infinite: return "Inf"
        case .notANumber: return "NaN"
        }
    }
}

/// Which of the nine simple CMAs.
public enum CMAKind: Int, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Supply of OW events but the last / days first → last OW event.
    case cma1 = 1
    /// Supply of all OW events / days first OW event → OW end.
    case cma2
    /// CMA1 capped at 1.
    case cma3
    /// CMA2 capped at 1.
    case cma4
    /// 1 − gap days (carry-over inside the OW) / days first → last OW event.
    case cma5
    /// 1 − gap days (carry-over inside the OW) / days first OW event → OW end.
    case cma6
    /// 1 − uncovered OW days / OW length, carrying supply from before the OW.
    case cma7
    /// CMA7 on an OW whose start is lagged past supply carried into it.
    case cma8
    /// Per-interval supply ratios weighted by their days inside the OW.
    case cma9

    /// `CMA1` … `CMA9`.
    public var description: String { "CMA\(rawValue)" }
}

/// A window offset or length in calendar units (AdhereR: days, weeks, months, years).
public enum CalendarSpan: Hashable, Sendable {
    /// Whole days.
    case days(Int)
    /// Weeks of 7 days.
    case weeks(Int)
    /// Calendar months (same day of month, clamped to the month's last day).
    case months(Int)
    /// Calendar years (12 months).
    case years(Int)

    /// `day` moved by this span; months and years use calendar arithmetic (clamped month ends).
    /// Nil when the result would leave years 1–9999.
    func applied(to day: Day) -> Day? {
        let limit = 3_700_000  // more days than years 1–9999 span
        switch self {
        case .days(let count) where abs(count) > limit, .weeks(let count) where abs(count) > limit / 7:
            return nil
        case .months(let count) where abs(count) > 120_000, .years(let count) where abs(count) > 10_000:
            return nil
        default:
            break
        }
        switch self {
        case .days(let count): return day + count
        case .weeks(let count): return day + 7 * count
        case .months(let count): return day.adding(months: count)
        case .years(let count): return day.adding(months: 12 * count)
        }
    }
}

/// Follow-up and observation windows plus the carry-over flags shared by every CMA call.
public struct CMAOptions: Hashable, Sendable {
    /// FUW start after the patient's first event.
    public var followUpStart: CalendarSpan
    /// FUW length (AdhereR's default: 730 days).
    public var followUpDuration: CalendarSpan
    /// OW start after the FUW start.
    public var observationStart: CalendarSpan
    /// OW length.
    public var observationDuration: CalendarSpan
    /// Zero the running stock whenever consecutive events differ in medication.
    public var carryOnlyForSameMedication: Bool
    /// Rescale leftover days by old dose / new dose at each refill.
    public var considerDosageChange: Bool

    /// Creates options; defaults are AdhereR's vignette: FUW 0 + 730 days, OW 182 + 365 days, flags off.
    public init(followUpStart: CalendarSpan = .days(0), followUpDuration: CalendarSpan = .days(730),
                observationStart: CalendarSpan = .days(182), observationDuration: CalendarSpan = .days(365),
                carryOnlyForSameMedication: Bool = false, considerDosageChange: Bool = false) {
        self.followUpStart = followUpStart
        self.followUpDuration = followUpDuration
        self.observationStart = observationStart
        self.observationDuration = observationDuration
        self.carryOnlyForSameMedication = carryOnlyForSameMedication
        self.considerDosageChange = considerDosageChange
    }
}

/// Why a CMA call cannot run at all (AdhereR fails the whole call in these cases).
public struct CMAError: Error, Hashable, Sendable, CustomStringConvertible {
    private enum Reason: Hashable, Sendable {
        case observationOutsideFollowUp
        case dateOutOfRange
        case badSlidingWindow
    }

    private let reason: Reason
    /// The user-facing message.
    public let description: String

    private init(_ reason: Reason, _ description: String) {
        self.reason = reason
        self.description = description
    }

    /// The observation window does not lie inside the follow-up window.
    public static let observationOutsideFollowUp: CMAError = CMAError(
        .observationOutsideFollowUp, "observation window must lie inside the follow-up window")
    /// A window offset moves a date out of the supported calendar range.
    public static let dateOutOfRange: CMAError = CMAError(.dateOutOfRange, "window offset leaves the supported date range")
    /// Sliding windows need a positive length and step.
    public static let badSlidingWindow: CMAError = CMAError(.badSlidingWindow, "sliding window length and step must be positive")
}

// MARK: - Internal machinery

/// An event in day-number coordinates.
struct CMAPoint {
    var date: Double
    var duration: Double
    var dose: Double
    var medication: Int32
}

/// FUW `[f0, f1]` and OW `[o0, o1]` as day numbers (possibly fractional inside episodes).
struct CMAWindows {
    var f0: Double, f1: Double, o0: Double, o1: Double
}

/// Per-event interval, gap and carry-in for one event set.
struct GapWalk {
    var intervals: [Double] = []
    var gaps: [Double] = []
    var carryIn: [Double] = []
}

/// The running-stock walk of cma.md "Gap days with carry-over".
func walkGaps(_ points: ArraySlice<CMAPoint>, lastEnd: Double, carryOnlySame: Bool, dosage: Bool) -> GapWalk {
    var walk = GapWalk()
    walk.intervals.reserveCapacity(points.count)
    walk.gaps.reserveCapacity(points.count)
    walk.carryIn.reserveCapacity(points.count)
    var carry = 0.0
    var index = points.startIndex
    while index < points.endIndex {
        let point = points[index]
        let next = index + 1 < points.endIndex ? points[index + 1] : nil
        let interval = (next?.date ?? lastEnd) - point.date
        walk.intervals.append(interval)
        walk.carryIn.append(carry)
        walk.gaps.append(max(0, interval - point.duration - carry))
        carry = max(0, point.duration + carry - interval)
        if let next {
            if carryOnlySame && point.medication != next.medication {
                carry = 0
            } else if dosage, next.dose != 0 {
                carry *= point.dose / next.dose
            }
        }
        index += 1
    }
    return walk
}

/// Sorted events (stable on same-day ties) as points.
func cmaPoints(_ events: [MedicationEvent]) -> [CMAPoint] {
    let order = events.indices.sorted { lhs, rhs in
        events[lhs].date != events[rhs].date ? events[lhs].date < events[rhs].date : lhs < rhs
    }
    return order.map { index in
        let event = events[index]
        let dose = Double(event.dailyDose.units) / pow10(Int(event.dailyDose.scale))
        return CMAPoint(date: Double(event.date.number), duration: Double(event.duration), dose: dose,
                        medication: event.medication)
    }
}

func pow10(_ exponent: Int) -> Double {
    var result = 1.0
    for _ in 0..<exponent { result *= 10 }
    return result
}

/// Resolves the patient's windows from the first event date.
func resolveWindows(first: Day, options: CMAOptions) throws(CMAError) -> CMAWindows {
    guard let f0 = options.followUpStart.applied(to: first), let f1 = options.followUpDuration.applied(to: f0),
          let o0 = options.observationStart.applied(to: f0), let o1 = options.observationDuration.applied(to: o0)
    else { throw .dateOutOfRange }
    guard f0 <= o0, o1 <= f1, o0 <= o1 else { throw .observationOutsideFollowUp }
    return CMAWindows(f0: Double(f0.number), f1: Double(f1.number), o0: Double(o0.number), o1: Double(o1.number))
}

/// Events inside `[f0, f1]` (both ends inclusive).
func followUpPoints(_ points: [CMAPoint], _ windows: CMAWindows) -> [CMAPoint] {
    points.filter { $0.date >= windows.f0 && $0.date <= windows.f1 }
}

/// One simple CMA over FUW points already restricted to the FUW.
func simpleCMA(_ kind: CMAKind, _ points: [CMAPoint], _ windows: CMAWindows, _ options: CMAOptions) -> CMAValue {
    let carryOnlySame = options.carryOnlyForSameMedication
    let dosage = options.considerDosageChange
    let (o0, o1) = (windows.o0, windows.o1)
    // E: events in the OW, both ends inclusive.
    let inWindow = points.indices.filter { points[$0].date >= o0 && points[$0].date <= o1 }
    switch kind {
    case .cma1, .cma3:
        guard inWindow.count >= 2, let firstIndex = inWindow.first, let lastIndex = inWindow.last else {
            return .notAvailable
        }
        let span = points[lastIndex].date - points[firstIndex].date
        guard span > 0 else { return .notAvailable }
        let supply = inWindow.dropLast().reduce(0.0) { $0 + points[$1].duration }
        let value = CMAValue.value(supply / span)
        return kind == .cma1 ? value : value.cappedAtOne
    case .cma2, .cma4:
        guard let firstIndex = inWindow.first else { return .notAvailable }
        let span = o1 - points[firstIndex].date
        let supply = inWindow.reduce(0.0) { $0 + points[$1].duration }
        let value: CMAValue = span > 0 ? .value(supply / span) : (supply > 0 ? .infinite : .notANumber)
        return kind == .cma2 ? value : value.cappedAtOne
    case .cma5:
        guard inWindow.count >= 2, let firstIndex = inWindow.first, let lastIndex = inWindow.last else {
            return .notAvailable
        }
        let span = points[lastIndex].date - points[firstIndex].date
        guard span > 0 else { return .notAvailable }
        let walk = walkGaps(points[firstIndex...lastIndex], lastEnd: o1, carryOnlySame: carryOnlySame, dosage: dosage)
        let gaps = walk.gaps.dropLast().reduce(0, +)
        return .value(1 - gaps / span)
    case .cma6:
        guard let firstIndex = inWindow.first, let lastIndex = inWindow.last else { return .notAvailable }
        let span = o1 - points[firstIndex].date
        guard span > 0 else { return .notANumber }
        let walk = walkGaps(points[firstIndex...lastIndex], lastEnd: o1, carryOnlySame: carryOnlySame, dosage: dosage)
        return .value(1 - walk.gaps.reduce(0, +) / span)
    case .cma7:
        return cma7(points, o0: o0, o1: o1, options)
    case .cma8:
        let upTo = points.prefix { $0.date <= o1 }
        guard !upTo.isEmpty else { return .notAvailable }
        let walk = walkGaps(upTo[...], lastEnd: o1, carryOnlySame: carryOnlySame, dosage: dosage)
        var laggedStart = o0
        for index in upTo.indices where upTo[index].date < o0 {
            let end = upTo[index].date + upTo[index].duration + walk.carryIn[index]
            if end > laggedStart { laggedStart = end }
        }
        return cma7(points, o0: laggedStart, o1: o1, options)
    case .cma9:
        guard points.contains(where: { $0.date <= o1 }) else { return .notAvailable }
        let length = o1 - o0
        guard length > 0 else { return .notAvailable }
        let walk = walkGaps(points[...], lastEnd: windows.f1, carryOnlySame: carryOnlySame, dosage: dosage)
        var total = 0.0
        for index in points.indices where walk.intervals[index] > 0 {
            let interval = walk.intervals[index]
            let ratio = 1 - walk.gaps[index] / interval
            let start = points[index].date
            let overlap = min(start + interval, o1) - max(start, o0)
            if overlap > 0 { total += ratio * overlap }
        }
        return .value(total / length)
    }
}

/// CMA7 over `[o0, o1]`: gaps from the first FUW event on, so earlier stock carries into the window.
func cma7(_ points: [CMAPoint], o0: Double, o1: Double, _ options: CMAOptions) -> CMAValue {
    let length = o1 - o0
    let upTo = points.prefix { $0.date <= o1 }
    guard length > 0, !upTo.isEmpty else { return .notAvailable }
    let walk = walkGaps(upTo[...], lastEnd: o1, carryOnlySame: options.carryOnlyForSameMedication,
                        dosage: options.considerDosageChange)
    let firstInWindow = upTo.firstIndex { $0.date >= o0 }
    let lastBefore = firstInWindow.map { $0 - 1 } ?? (upTo.endIndex - 1)
    guard let first = firstInWindow else {
        // No event in the window: the last pre-window event's interval runs to o1.
        let gap = walk.gaps[lastBefore]
        return .value(gap <= length ? 1 - gap / length : 0)
    }
    let lead = upTo[first].date - o0
    let preGap = lastBefore >= 0 ? min(walk.gaps[lastBefore], lead) : lead
    let windowGaps = walk.gaps[first...].reduce(0, +)
    return .value(1 - (preGap + windowGaps) / length)
}

// MARK: - Public entry points

/// One simple CMA for one patient's events (AdhereR semantics; see the module's adherence guide).
public func cma(_ kind: CMAKind, events: [MedicationEvent], options: CMAOptions) throws(CMAError) -> CMAValue {
    let points = cmaPoints(events)
    guard let first = points.first else { return .notAvailable }
    let windows = try resolveWindows(first: Day(number: Int32(first.date)), options: options)
    return simpleCMA(kind, followUpPoints(points, windows), windows, options)
}

/// AdhereR's maximum permissible gap between episodes.
public enum MaximumPermissibleGap: Hashable, Sendable {
    /// A fixed number of days (AdhereR's default: 180).
    case days(Double)
    /// A percentage of the duration of the event before the gap.
    case percentOfDuration(Double)

    func threshold(duration: Double) -> Double {
        switch self {
        case .days(let days): return days
        case .percentOfDuration(let percent): return duration * percent / 100
        }
    }
}

/// Options of `treatmentEpisodes` beyond the shared windows and flags.
public struct TreatmentEpisodeOptions: Hashable, Sendable {
    /// Gaps longer than this split episodes.
    public var maximumPermissibleGap: MaximumPermissibleGap
    /// Whether a change of medication class starts a new episode whatever the gap.
    public var medicationChangeMeansNewEpisode: Bool
    /// AdhereR's `maximum.permissible.gap.append.to.episode`: an episode ends the permissible gap after
    /// its supply ran out, but no later than the next episode's start (or the FUW end).
    public var appendMaximumPermissibleGap: Bool

    /// Creates options; defaults are AdhereR's vignette (180 days, medication change splits, no append).
    public init(maximumPermissibleGap: MaximumPermissibleGap = .days(180), medicationChangeMeansNewEpisode: Bool = true,
                appendMaximumPermissibleGap: Bool = false) {
        self.maximumPermissibleGap = maximumPermissibleGap
        self.medicationChangeMeansNewEpisode = medicationChangeMeansNewEpisode
        self.appendMaximumPermissibleGap = appendMaximumPermissibleGap
    }
}

/// One treatment episode; ends can be fractional with dose rescaling.
public struct TreatmentEpisode: Hashable, Sendable {
    /// 1-based episode number.
    public var number: Int
    /// Date of the episode's first event.
    public var start: Day
    /// End as a day number, possibly fractional.
    public var end: Double
    /// The gap after the episode's last event, truncated to whole days.
    public var endGapDays: Int
    /// `end − start` in days, possibly fractional.
    public var duration: Double { end - Double(start.number) }
    /// The end date as AdhereR prints it (the floor of a fractional end).
    public var endDay: Day { Day(number: Int32(end.rounded(.down))) }
}

/// AdhereR's `compute.treatment.episodes` for one patient.
public func treatmentEpisodes(events: [MedicationEvent], options: CMAOptions,
                              episodes episodeOptions: TreatmentEpisodeOptions = TreatmentEpisodeOptions())
    throws(CMAError) -> [TreatmentEpisode] {
    let points = cmaPoints(events)
    guard let first = points.first else { return [] }
    let windows = try resolveWindows(first: Day(number: Int32(first.date)), options: options)
    return episodesOver(followUpPoints(points, windows), windows, options, episodeOptions)
}

func episodesOver(_ points: [CMAPoint], _ windows: CMAWindows, _ options: CMAOptions,
                  _ episodeOptions: TreatmentEpisodeOptions) -> [TreatmentEpisode] {
    guard !points.isEmpty else { return [] }
    let walk = walkGaps(points[...], lastEnd: windows.f1, carryOnlySame: options.carryOnlyForSameMedication,
                        dosage: options.considerDosageChange)
    let mpg = episodeOptions.maximumPermissibleGap
    // Indexes of the first event of each episode.
    var starts = [0]
    for index in 0..<(points.count - 1) {
        let gapSplit = walk.gaps[index] > mpg.threshold(duration: points[index].duration)
        let classSplit = episodeOptions.medicationChangeMeansNewEpisode
            && points[index].medication != points[index + 1].medication
        if gapSplit || classSplit { starts.append(index + 1) }
    }
    var result: [TreatmentEpisode] = []
    for (number, startIndex) in starts.enumerated() {
        let isLast = number == starts.count - 1
        let lastIndex = isLast ? points.count - 1 : starts[number + 1] - 1
        let lastGap = walk.gaps[lastIndex]
        let threshold = mpg.threshold(duration: points[lastIndex].duration)
        // Where the next episode starts, or the FUW end for the last one.
        let boundary = isLast ? windows.f1 : points[starts[number + 1]].date
        let end: Double
        if episodeOptions.appendMaximumPermissibleGap {
            // Supply end + MPG, which passes the boundary exactly when the gap is at most MPG.
            end = boundary - max(0, lastGap - threshold)
        } else if isLast {
            end = lastGap >= threshold ? boundary - lastGap : boundary
        } else {
            end = boundary - lastGap
        }
        result.append(TreatmentEpisode(number: number + 1, start: Day(number: Int32(points[startIndex].date)),
                                       end: end, endGapDays: Int(lastGap.rounded(.towardZero))))
    }
    return result
}

/// A simple CMA computed inside one treatment episode.
public struct EpisodeCMA: Hashable, Sendable {
    /// The unclipped episode (its duration and end gap are reported unclipped).
    public var episode: TreatmentEpisode
    /// Start of the episode ∩ OW.
    public var windowStart: Double
    /// End of the episode ∩ OW.
    public var windowEnd: Double
    /// The estimate.
    public var value: CMAValue
}

/// AdhereR's `CMA_per_episode`: the simple CMA inside every episode that overlaps the OW.
public func cmaPerEpisode(_ kind: CMAKind, events: [MedicationEvent], options: CMAOptions,
                          episodes episodeOptions: TreatmentEpisodeOptions = TreatmentEpisodeOptions())
    throws(CMAError) -> [EpisodeCMA] {
    let points = cmaPoints(events)
    guard let first = points.first else { return [] }
    let windows = try resolveWindows(first: Day(number: Int32(first.date)), options: options)
    let episodes = episodesOver(followUpPoints(points, windows), windows, options, episodeOptions)
    var result: [EpisodeCMA] = []
    for episode in episodes {
        let start = Double(episode.start.number)
        let clippedStart = max(start, windows.o0), clippedEnd = min(episode.end, windows.o1)
        guard clippedStart < clippedEnd else { continue }
        let inner = CMAWindows(f0: start, f1: episode.end, o0: clippedStart, o1: clippedEnd)
        // Events are chosen by date from all the patient's events, not by episode membership.
        let value = simpleCMA(kind, followUpPoints(points, inner), inner, options)
        result.append(EpisodeCMA(episode: episode, windowStart: clippedStart, windowEnd: clippedEnd, value: value))
    }
    return result
}

/// A simple CMA computed inside one sliding window.
public struct WindowCMA: Hashable, Sendable {
    /// 1-based window number.
    public var number: Int
    /// Window start day.
    public var start: Day
    /// Window end day.
    public var end: Day
    /// The estimate.
    public var value: CMAValue
}

/// AdhereR's `CMA_sliding_window`: windows of `length` days every `step` days, only those fully inside the OW.
public func cmaSlidingWindows(_ kind: CMAKind, events: [MedicationEvent], options: CMAOptions,
                              start offset: Int = 0, length: Int, step: Int) throws(CMAError) -> [WindowCMA] {
    guard length > 0, step > 0 else { throw .badSlidingWindow }
    let points = cmaPoints(events)
    guard let first = points.first else { return [] }
    let windows = try resolveWindows(first: Day(number: Int32(first.date)), options: options)
    let fuwPoints = followUpPoints(points, windows)
    let room = Int(windows.o1 - windows.o0) - offset - length
    guard room >= 0 else { return [] }
    let count = room / step + 1
    var result: [WindowCMA] = []
    result.reserveCapacity(count)
    for k in 0..<count {
        let start = windows.o0 + Double(offset + k * step)
        let inner = CMAWindows(f0: windows.f0, f1: windows.f1, o0: start, o1: start + Double(length))
        result.append(WindowCMA(number: k + 1, start: Day(number: Int32(inner.o0)), end: Day(number: Int32(inner.o1)),
                                value: simpleCMA(kind, fuwPoints, inner, options)))
    }
    return result
}
