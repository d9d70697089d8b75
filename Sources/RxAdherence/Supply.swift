import RxValues

/// One dispensing as the adherence library sees it: a fill date, a days supply and a drug.
public struct SupplyEvent: Hashable, Sendable {
    /// Date of service: the first day the supply can cover.
    public var start: Day
    /// Days supply; the raw interval is `start … start + daysSupply − 1`.
    ///
    /// Placement ignores events outside `1...SupplyEvent.maximumDaysSupply` (the records layer rejects them first).
    public var daysSupply: Int
    /// The "same drug" key (ingredient, or class when shifting at class level).
    public var drugKey: Int32
    /// Quantity per day, used only with `DoseHandling.quantityPerDay`.
    public var dose: ExactDecimal?
    /// The caller's index of the claim behind this event, echoed in every piece of evidence.
    public var claimIndex: Int32
    /// Set on the second and later events of one fill of a combination product listed under several
    /// drug keys. With `shiftSameDrug` each copy is placed in its own key's chain, so the fill gives
    /// coverage to each target ingredient (PQA); everything else (other overlap rules, MPR, dispensed
    /// days) takes the fill once.
    public var isCombinationCopy: Bool

    /// Creates an event.
    public init(start: Day, daysSupply: Int, drugKey: Int32, dose: ExactDecimal? = nil, claimIndex: Int32,
                isCombinationCopy: Bool = false) {
        self.start = start
        self.daysSupply = daysSupply
        self.drugKey = drugKey
        self.dose = dose
        self.claimIndex = claimIndex
        self.isCombinationCopy = isCombinationCopy
    }

    /// The largest days supply placement accepts (100 years); larger values are data errors.
    public static let maximumDaysSupply: Int = 36_500

    /// Whether placement uses this event (days supply within `1...maximumDaysSupply`).
    public var isPlaceable: Bool { daysSupply >= 1 && daysSupply <= SupplyEvent.maximumDaysSupply }

    /// `start … start + daysSupply − 1` (empty when the days supply is not positive).
    public var rawPeriod: Period { Period(start, start + (min(daysSupply, SupplyEvent.maximumDaysSupply) - 1)) }
}

/// An inpatient or skilled-nursing stay: its days leave the denominator and pause supply on hand.
public struct Stay: Hashable, Sendable {
    /// The stay days, admission and discharge included when the caller includes them.
    public var period: Period

    /// Creates a stay.
    public init(period: Period) { self.period = period }

    /// A stay from admission to discharge, with each end day counted or not (a CMS parameter).
    ///
    /// Nil when no day remains (for example a same-day stay with either end excluded).
    public init?(admission: Day, discharge: Day, countAdmissionDay: Bool = true, countDischargeDay: Bool = true) {
        let period = Period(countAdmissionDay ? admission : admission + 1, countDischargeDay ? discharge : discharge - 1)
        guard !period.isEmpty else { return nil }
        self.period = period
    }
}

/// What happens when supply overlaps supply already on hand.
public enum OverlapRule: String, Hashable, Sendable, CaseIterable {
    /// Any early refill starts the day after the current supply (of any drug) runs out.
    case shiftAll = "shift_all"
    /// Shift only behind supply of the same drug key; different drugs overlap and count once (PQA).
    case shiftSameDrug = "shift_same_drug"
    /// No shifting: each fill covers its own raw interval; overlapping days count once.
    case union
}

/// Whether a change of daily quantity rescales the supply still on hand.
public enum DoseHandling: String, Hashable, Sendable, CaseIterable {
    /// Days supply is taken as given.
    case none
    /// At a refill of the same drug with a different quantity per day, the days still on hand are
    /// recomputed as `remaining × oldDose / newDose`, rounded down to whole days.
    case quantityPerDay = "quantity_per_day"
}

/// Parameters of supply placement.
public struct SupplyOptions: Hashable, Sendable {
    /// Overlap rule; PQA uses `shiftSameDrug`.
    public var overlap: OverlapRule
    /// Whether supply from fills dated before the window carries into it (PQA: false).
    public var carryIn: Bool
    /// Dose handling (PQA: none).
    public var dose: DoseHandling
    /// Stays that pause supply and leave the denominator (CMS IP/SNF adjustment); empty for none.
    public var stays: [Stay]

    /// Creates options; the defaults are PQA's.
    public init(overlap: OverlapRule = .shiftSameDrug, carryIn: Bool = false, dose: DoseHandling = .none,
                stays: [Stay] = []) {
        self.overlap = overlap
        self.carryIn = carryIn
        self.dose = dose
        self.stays = stays
    }

    /// PQA PDC: shift within the same drug, each year stands alone, no dose rescaling, no stays.
    public static let pqa: SupplyOptions = SupplyOptions()
}

/// Why a placed interval differs from the raw one.
public struct PlacementReasons: OptionSet, Hashable, Sendable {
    /// The bit set.
    public let rawValue: UInt8
    /// Wraps a bit set.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Started late because supply of the same drug was still on hand.
    public static let shiftedBehindSameDrug: PlacementReasons = PlacementReasons(rawValue: 1 << 0)
    /// Started late because supply of another drug was on hand (`shiftAll`).
    public static let shiftedBehindOtherDrug: PlacementReasons = PlacementReasons(rawValue: 1 << 1)
    /// Stretched over stay days (supply resumed after discharge).
    public static let pausedByStay: PlacementReasons = PlacementReasons(rawValue: 1 << 2)
    /// Days on hand were rescaled by a later fill's dose change.
    public static let doseRescaled: PlacementReasons = PlacementReasons(rawValue: 1 << 3)
    /// Days past the window end were cut off.
    public static let truncated: PlacementReasons = PlacementReasons(rawValue: 1 << 4)
}

/// Evidence for one fill: where its supply was placed and why.
public struct Placement: Hashable, Sendable {
    /// The event's claim index.
    public var claimIndex: Int32
    /// The event's drug key.
    public var drugKey: Int32
    /// The raw interval `fill date … fill date + DS − 1`.
    public var raw: Period
    /// The placed interval: shifted start, end stretched over stays; stay days inside are not covered.
    public var placed: Period
    /// Claim index of the fill whose supply this one waited for; −1 when not shifted.
    public var shiftedBehind: Int32
    /// Days the supply stood still during stays.
    public var pausedDays: Int32
    /// Days of the placed supply after the window end (cut off).
    public var truncatedDays: Int32
    /// Every reason that applies.
    public var reasons: PlacementReasons

    /// Days the start moved (0 when not shifted).
    public var shiftDays: Int { placed.start - raw.start }

    /// A slot not yet placed (buffers are sized before the walk fills them).
    static let unplaced = Placement(claimIndex: -1, drugKey: 0, raw: Period(Day(number: 0), Day(number: -1)),
                                    placed: Period(Day(number: 0), Day(number: -1)), shiftedBehind: -1, pausedDays: 0,
                                    truncatedDays: 0, reasons: [])
}

extension Placement: CustomStringConvertible {
    /// One line for `explain`: `claim 1: 2025-02-25..2025-03-26 -> 2025-03-03..2025-04-01 (shifted 6 days behind claim 0)`.
    public var description: String {
        var notes: [String] = []
        if reasons.contains(.shiftedBehindSameDrug) || reasons.contains(.shiftedBehindOtherDrug) {
            let scope = reasons.contains(.shiftedBehindSameDrug) ? "" : " (other drug)"
            notes.append("shifted \(shiftDays) days behind claim \(shiftedBehind)\(scope)")
        }
        if reasons.contains(.pausedByStay) { notes.append("paused \(pausedDays) stay days") }
        if reasons.contains(.doseRescaled) { notes.append("days on hand rescaled by a dose change") }
        if reasons.contains(.truncated) { notes.append("\(truncatedDays) days past the window cut off") }
        let tail = notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
        return "claim \(claimIndex): \(raw) -> \(placed)\(tail)"
    }
}

/// Placed supply for one member over one window: the covered timeline and per-fill evidence.
public struct SupplyResult: Hashable, Sendable {
    /// The window the timeline is clipped to.
    public var window: Period
    /// One placement per event that was used, in fill-date order (ties keep input order).
    public var placements: [Placement]
    /// Covered days and stays, clipped to the window.
    public var timeline: Timeline

    /// Covered days in the window.
    public var coveredDays: Int { timeline.coveredDays(within: window) }
    /// Window days that are not stay days.
    public var denominatorDays: Int { window.dayCount - timeline.stayDays(within: window) }
}

/// Reusable buffers for `placeSupply`; keep one per thread to avoid allocating per member.
public struct SupplyScratch: Sendable {
    var order: [Int] = []
    var placements: [Placement] = []
    var drugLast: [(key: Int32, placement: Int)] = []
    var stays: [Period] = []
    var periods: [Period] = []
    var placementEvent: [Int] = []

    /// Empty buffers.
    public init() {}
}

/// Places supply for `events` over `window` and returns the timeline with evidence.
public func placeSupply(_ events: [SupplyEvent], window: Period, options: SupplyOptions) -> SupplyResult {
    var scratch = SupplyScratch()
    placeSupply(events, window: window, options: options, scratch: &scratch)
    let timeline = Timeline(covering: scratch.periods, stays: scratch.stays).clipped(to: window)
    return SupplyResult(window: window, placements: scratch.placements, timeline: timeline)
}

/// `placeSupply(events, window:, options:).timeline`, reusing `scratch` for the placement walk.
public func supplyTimeline(_ events: [SupplyEvent], window: Period, options: SupplyOptions,
                           scratch: inout SupplyScratch) -> Timeline {
    placeSupply(events, window: window, options: options, scratch: &scratch)
    return Timeline(placed: &scratch.periods, stays: scratch.stays, clippedTo: window)
}

/// Covered and denominator days only, reusing `scratch` (the allocation-light hot path for PDC).
public func coveredDays(_ events: [SupplyEvent], window: Period, options: SupplyOptions,
                        scratch: inout SupplyScratch) -> (covered: Int, denominator: Int) {
    placeSupply(events, window: window, options: options, scratch: &scratch)
    // Clip, sort and merge in place, then subtract stays while counting.
    var count = 0
    for period in scratch.periods where period.overlaps(window) {
        scratch.periods[count] = period.intersection(window)
        count += 1
    }
    scratch.periods.removeLast(scratch.periods.count - count)
    if zip(scratch.periods, scratch.periods.dropFirst()).contains(where: { $0.start > $1.start }) {
        scratch.periods.sort { $0.start < $1.start }
    }
    var covered = 0
    var current: Period?
    for period in scratch.periods {
        if var open = current, period.start.number <= open.end.number &+ 1 {
            if period.end > open.end { open.end = period.end }
            current = open
        } else {
            if let open = current { covered += open.dayCount - Timeline.days(of: scratch.stays, within: open) }
            current = period
        }
    }
    if let open = current { covered += open.dayCount - Timeline.days(of: scratch.stays, within: open) }
    let denominator = window.dayCount - Timeline.days(of: scratch.stays, within: window)
    return (covered, denominator)
}

/// The core walk: fills `scratch.placements`, `scratch.periods` (placed, unclipped) and `scratch.stays`.
func placeSupply(_ events: [SupplyEvent], window: Period, options: SupplyOptions,
                 scratch: inout SupplyScratch) {
    scratch.order.removeAll(keepingCapacity: true)
    scratch.periods.removeAll(keepingCapacity: true)
    scratch.stays.removeAll(keepingCapacity: true)
    for stay in options.stays { scratch.stays.append(stay.period) }
    if !scratch.stays.isEmpty { scratch.stays = Timeline.normalize(scratch.stays) }

    scratch.order.reserveCapacity(events.count)
    for index in events.indices {
        let event = events[index]
        guard event.isPlaceable, event.start <= window.end else { continue }
        if event.isCombinationCopy && options.overlap != .shiftSameDrug { continue }
        if !options.carryIn && event.start < window.start { continue }
        scratch.order.append(index)
    }
    // Fill date order; same-day fills keep input order. Claims usually arrive sorted: skip the sort then.
    var sorted = true
    for position in scratch.order.indices.dropFirst()
    where events[scratch.order[position - 1]].start > events[scratch.order[position]].start {
        sorted = false
        break
    }
    if !sorted {
        scratch.order.sort { lhs, rhs in
            let a = events[lhs].start, b = events[rhs].start
            return a != b ? a < b : lhs < rhs
        }
    }
    // One placement per ordered event, in that order: the buffers are sized once and filled through
    // pointers (appending checked the buffer's uniqueness per element).
    let count = scratch.order.count
    scratch.placementEvent.removeAll(keepingCapacity: true)
    scratch.placementEvent.append(contentsOf: scratch.order)
    scratch.placements.removeAll(keepingCapacity: true)
    scratch.placements.append(contentsOf: repeatElement(Placement.unplaced, count: count))
    scratch.drugLast.removeAll(keepingCapacity: true)
    scratch.drugLast.append(contentsOf: repeatElement((key: 0, placement: 0), count: count))
    let stays = scratch.stays
    scratch.placements.withUnsafeMutableBufferPointer { placements in
        scratch.drugLast.withUnsafeMutableBufferPointer { drugLast in
            scratch.placementEvent.withUnsafeBufferPointer { placementEvent in
                var drugCount = 0
                var globalLast = -1
                for placementIndex in 0..<count {
                    let index = placementEvent[placementIndex]
                    let event = events[index]
                    var drugSlot = -1
                    for slot in 0..<drugCount where drugLast[slot].key == event.drugKey {
                        drugSlot = slot
                        break
                    }
                    let sameDrugLast = drugSlot >= 0 ? drugLast[drugSlot].placement : -1

                    if options.dose == .quantityPerDay, sameDrugLast >= 0,
                       options.overlap != .shiftAll || sameDrugLast == globalLast {
                        rescaleOnHand(placement: sameDrugLast, at: event, events: events, chained: options.overlap != .union,
                                      placements: placements, placementEvent: placementEvent, stays: stays)
                    }

                    let chainLast = options.overlap == .shiftAll ? globalLast
                        : options.overlap == .shiftSameDrug ? sameDrugLast : -1
                    var start = event.start
                    var reasons: PlacementReasons = []
                    var behind: Int32 = -1
                    var chainIndex = chainLast
                    // A placement emptied by a dose change holds nothing: wait behind the one before it.
                    while chainIndex >= 0, placements[chainIndex].placed.isEmpty
                            || (options.overlap == .shiftSameDrug && placements[chainIndex].drugKey != event.drugKey) {
                        chainIndex -= 1
                    }
                    if chainIndex >= 0 {
                        let previous = placements[chainIndex]
                        if previous.placed.end >= start {
                            start = previous.placed.end + 1
                            behind = previous.claimIndex
                            reasons.insert(previous.drugKey == event.drugKey ? .shiftedBehindSameDrug : .shiftedBehindOtherDrug)
                        }
                    }
                    let end = supplyEnd(start: start, days: event.daysSupply, stays: stays)
                    let span = end - start + 1
                    let paused = span - event.daysSupply
                    if paused > 0 { reasons.insert(.pausedByStay) }
                    var truncated = 0
                    if end > window.end {
                        let tail = Period(max(start, window.end + 1), end)
                        truncated = tail.dayCount - Timeline.days(of: stays, within: tail)
                        if truncated > 0 { reasons.insert(.truncated) }
                    }
                    placements[placementIndex] = Placement(
                        claimIndex: event.claimIndex, drugKey: event.drugKey, raw: event.rawPeriod,
                        placed: Period(start, end), shiftedBehind: behind, pausedDays: Int32(paused),
                        truncatedDays: Int32(truncated), reasons: reasons)
                    globalLast = placementIndex
                    if drugSlot >= 0 {
                        drugLast[drugSlot].placement = placementIndex
                    } else {
                        drugLast[drugCount] = (event.drugKey, placementIndex)
                        drugCount += 1
                    }
                }
            }
        }
    }
    scratch.periods.reserveCapacity(count)
    for placement in scratch.placements where !placement.placed.isEmpty { scratch.periods.append(placement.placed) }
}

/// Rescales the days still on hand when `event` changes the quantity per day of the same drug.
///
/// With shifting, the supply on hand can span several placements of the drug (a shifted chain); the total
/// on hand from the new fill date is rescaled (`× old / new`, rounded down) and handed back to those
/// placements in order, the last one taking what is left.
private func rescaleOnHand(placement last: Int, at event: SupplyEvent, events: [SupplyEvent], chained: Bool,
                           placements: UnsafeMutableBufferPointer<Placement>, placementEvent: UnsafeBufferPointer<Int>,
                           stays: [Period]) {
    let latest = placements[last]
    guard !latest.placed.isEmpty, latest.placed.end >= event.start,
          let oldDose = events[placementEvent[last]].dose, let newDose = event.dose,
          oldDose > .zero, newDose > .zero, oldDose != newDose
    else { return }
    var pieces = [last]
    if chained {
        var probe = last - 1
        while probe >= 0, let earliest = pieces.last, placements[earliest].placed.start > event.start {
            let candidate = placements[probe]
            if candidate.drugKey == event.drugKey, !candidate.placed.isEmpty {
                guard candidate.placed.end >= event.start else { break }
                pieces.append(probe)
            }
            probe -= 1
        }
        pieces.reverse()
    }
    func onHand(_ placed: Period) -> (from: Day, days: Int) {
        let part = Period(max(placed.start, event.start), placed.end)
        return (part.start, part.dayCount - Timeline.days(of: stays, within: part))
    }
    let total = pieces.reduce(0) { $0 + onHand(placements[$1].placed).days }
    guard let scaled = ExactDecimal(Int64(total)).multiplying(oldDose)?
            .dividing(by: newDose, scale: 0, rounding: .down)
    else { return }
    var remaining = Int(scaled.units)
    for (position, index) in pieces.enumerated() {
        let part = onHand(placements[index].placed)
        let take = position == pieces.count - 1 ? remaining : min(part.days, remaining)
        placements[index].placed.end = take > 0
            ? supplyEnd(start: part.from, days: take, stays: stays) : part.from - 1
        placements[index].reasons.insert(.doseRescaled)
        remaining -= take
    }
}

/// The last day of `days` days of supply starting at `start`, skipping stay days (normal form).
func supplyEnd(start: Day, days: Int, stays: [Period]) -> Day {
    var cursor = start
    var remaining = days
    var low = 0, high = stays.count
    while low < high {
        let mid = (low + high) / 2
        if stays[mid].end < cursor { low = mid + 1 } else { high = mid }
    }
    var index = low
    while index < stays.count {
        let stay = stays[index]
        if stay.start > cursor {
            let available = stay.start - cursor
            if remaining <= available { return cursor + (remaining - 1) }
            remaining -= available
        }
        cursor = stay.end + 1
        index += 1
    }
    return cursor + (remaining - 1)
}
