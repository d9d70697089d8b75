import RxValues

// MARK: - Eligibility helpers (PQA)

/// Whether the events have at least two distinct fill dates inside `period` (PQA two-fill rule).
///
/// Two fills on the same day count as one date; they may be different drugs of the class.
public func meetsTwoFillRule(_ events: [SupplyEvent], within period: Period) -> Bool {
    var first: Day?
    for event in events where period.contains(event.start) {
        guard let seen = first else {
            first = event.start
            continue
        }
        if seen != event.start { return true }
    }
    return false
}

/// The index prescription start date: the earliest fill date inside `period`.
public func indexPrescriptionStartDate(_ events: [SupplyEvent], within period: Period) -> Day? {
    var earliest: Day?
    for event in events where period.contains(event.start) {
        if earliest.map({ event.start < $0 }) ?? true { earliest = event.start }
    }
    return earliest
}

/// The PQA treatment period: IPSD through the period end (or an earlier end such as disenrollment).
///
/// Nil when there is no fill in the period or the treatment period is shorter than `minimumDays`
/// (PQA: 91, so the IPSD must fall on or before 2 October).
public func treatmentPeriod(_ events: [SupplyEvent], measurementPeriod: Period, endingEarlyAt earlyEnd: Day? = nil,
                            minimumDays: Int = 91) -> Period? {
    guard let ipsd = indexPrescriptionStartDate(events, within: measurementPeriod) else { return nil }
    var end = measurementPeriod.end
    if let earlyEnd, earlyEnd < end { end = earlyEnd }
    let period = Period(ipsd, end)
    return period.dayCount >= minimumDays ? period : nil
}

/// Which day of the measurement period an age limit is checked on.
public enum AgeReference: String, Hashable, Sendable, CaseIterable {
    /// Current PQA text: age on the first day of the measurement year.
    case firstDay = "first_day"
    /// Older PQA text: age on the last day.
    case lastDay = "last_day"
}

/// Whether a member born on `birth` is at least `minimumAge` on the chosen day of `period`.
public func meetsMinimumAge(birth: Day, minimumAge: Int, period: Period, reference: AgeReference = .firstDay) -> Bool {
    birth.age(at: reference == .firstDay ? period.start : period.end) >= minimumAge
}

// MARK: - PDC

/// A proportion of days covered with its parts.
public struct PDCResult: Hashable, Sendable {
    /// Covered days in the period (stay days excluded).
    public var numerator: Int
    /// Period days minus stay days.
    public var denominator: Int
    /// The exact ratio; nil when the denominator is 0. Never above 1.
    public var ratio: Fraction?
    /// The placed supply behind the numbers (evidence).
    public var supply: SupplyResult
}

/// Proportion of days covered over `period` (the treatment period), with PQA options by default.
///
/// `period` is both the carry-in boundary and the truncation point; stays in `options` leave the
/// denominator and pause supply.
public func pdc(_ events: [SupplyEvent], period: Period, options: SupplyOptions = .pqa) -> PDCResult {
    let supply = placeSupply(events, window: period, options: options)
    let numerator = supply.coveredDays
    let denominator = supply.denominatorDays
    return PDCResult(numerator: numerator, denominator: denominator, ratio: Fraction(numerator, denominator),
                     supply: supply)
}

// MARK: - MPR

/// Which published MPR definition a value follows (domain guide §1.3).
public enum MPRVariant: String, Hashable, Sendable, CaseIterable {
    /// Σ DS of fills dated in the period / days in the period.
    case period = "mpr_period"
    /// As `period`, but supply running past the period end is cut off.
    case periodTruncated = "mpr_period_truncated"
    /// Σ DS of all fills but the last / (last fill date − first fill date).
    case refillInterval = "mpr_refill_interval"
}

/// A medication possession ratio, named by variant.
public struct MPRResult: Hashable, Sendable {
    /// The definition used.
    public var variant: MPRVariant
    /// Whether the ratio was capped at 1.
    public var capped: Bool
    /// Days supply counted (before capping).
    public var numerator: Int
    /// Days in the denominator.
    public var denominator: Int
    /// The ratio (capped when `capped`); nil when undefined (no denominator).
    public var ratio: Fraction?

    /// The reporting name, e.g. `mpr_period_truncated_capped`.
    public var name: String { capped ? variant.rawValue + "_capped" : variant.rawValue }
}

/// Medication possession ratio over `period` for fills dated inside it.
public func mpr(_ events: [SupplyEvent], period: Period, variant: MPRVariant, capped: Bool = false) -> MPRResult {
    var numerator = 0
    var denominator = 0
    switch variant {
    case .period, .periodTruncated:
        for event in events where period.contains(event.start) && event.isPlaceable && !event.isCombinationCopy {
            numerator += variant == .period ? event.daysSupply
                : min(event.daysSupply, period.end - event.start + 1)
        }
        denominator = period.dayCount
    case .refillInterval:
        var first: Day?, last: Day?
        var lastSupply = 0
        var total = 0
        // The last fill is the latest-dated one; among same-day fills, the last in input order.
        for event in events where period.contains(event.start) && event.isPlaceable && !event.isCombinationCopy {
            total += event.daysSupply
            if first.map({ event.start < $0 }) ?? true { first = event.start }
            if last.map({ event.start >= $0 }) ?? true {
                last = event.start
                lastSupply = event.daysSupply
            }
        }
        if let first, let last {
            numerator = total - lastSupply
            denominator = last - first
        }
    }
    var ratio = Fraction(numerator, denominator)
    if capped { ratio = ratio?.cappedAtOne }
    return MPRResult(variant: variant, capped: capped, numerator: numerator, denominator: denominator, ratio: ratio)
}

// MARK: - Days on therapy

/// The three "days on therapy" readings of the domain guide §1.4, plus the span of the first episode.
public struct DaysOnTherapy: Hashable, Sendable {
    /// Σ DS of fills dated in the period (what was paid for).
    public var dispensed: Int
    /// Σ of raw-interval days inside the period for those fills (truncated, not shifted).
    public var dispensedWithinPeriod: Int
    /// Covered days (the PDC numerator: shifted, truncated, stays excluded).
    public var covered: Int
    /// First fill to end of the last supply of the first persistence episode, gaps included.
    public var duration: Int
}

/// Days on therapy over `period`; `duration` uses `permissibleGap` to find the first episode.
public func daysOnTherapy(_ events: [SupplyEvent], period: Period, options: SupplyOptions = .pqa,
                          permissibleGap: PermissibleGap) -> DaysOnTherapy {
    var dispensed = 0, within = 0
    for event in events where period.contains(event.start) && event.isPlaceable && !event.isCombinationCopy {
        dispensed += event.daysSupply
        within += event.rawPeriod.intersection(period).dayCount
    }
    let supply = placeSupply(events, window: period, options: options)
    let walk = persistence(supply, gap: permissibleGap)
    return DaysOnTherapy(dispensed: dispensed, dispensedWithinPeriod: within, covered: supply.coveredDays,
                         duration: walk.episodes.first?.days ?? 0)
}
