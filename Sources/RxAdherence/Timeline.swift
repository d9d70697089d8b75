import RxValues

/// A run of covered days that tolerates short gaps: what persistence and episode walks return.
public struct CoverageEpisode: Hashable, Sendable, CustomStringConvertible {
    /// First covered day of the episode.
    public var start: Day
    /// Last covered day of the episode.
    public var end: Day

    /// Creates an episode from its first and last covered day.
    public init(start: Day, end: Day) {
        self.start = start
        self.end = end
    }

    /// Calendar days from start to end, both counted, gaps inside included.
    public var days: Int { end - start + 1 }

    /// `start..end (days)`.
    public var description: String { "\(start)..\(end) (\(days))" }
}

/// Covered days as a sorted list of disjoint, non-adjacent closed intervals, plus the stay days.
///
/// Every operation is interval algebra: cost grows with the number of intervals, never with the
/// number of days. Stay days (inpatient, skilled nursing) are never covered.
public struct Timeline: Hashable, Sendable {
    /// Covered intervals: sorted, disjoint, with at least one uncovered day between neighbours.
    public private(set) var intervals: [Period]
    /// Stay intervals in the same normal form; they leave the denominator and pause supply.
    public private(set) var stays: [Period]

    /// A timeline with nothing covered.
    public static let empty: Timeline = Timeline(normalized: [], stays: [])

    /// Builds a timeline from any intervals (unsorted, overlapping, touching or empty ones allowed).
    ///
    /// Days inside `stays` are removed from the covered set.
    public init(covering periods: [Period], stays: [Period] = []) {
        let normalStays = Timeline.normalize(stays)
        var covered = Timeline.normalize(periods)
        if !normalStays.isEmpty { covered = Timeline.subtract(normalStays, from: covered) }
        self.init(normalized: covered, stays: normalStays)
    }

    /// `Timeline(covering: periods, stays: stays).clipped(to: window)`, sorting and merging
    /// `periods` in place (a caller's scratch buffer) instead of copying them.
    public init(placed periods: inout [Period], stays: [Period], clippedTo window: Period) {
        // Drop empty periods, sort, merge and (without stays) clip, all in the caller's buffer;
        // the timeline then takes one exact copy.
        let normalStays = stays.isEmpty ? [] : Timeline.normalize(stays)
        let kept = periods.withUnsafeMutableBufferPointer { buffer -> Int in
            var count = 0
            for index in buffer.indices where !buffer[index].isEmpty {
                buffer[count] = buffer[index]
                count += 1
            }
            var live = UnsafeMutableBufferPointer(rebasing: buffer[0..<count])
            var sorted = true
            for index in live.indices.dropFirst() where live[index - 1].start > live[index].start {
                sorted = false
                break
            }
            if !sorted { live.sort { $0.start < $1.start } }
            var merged = 0
            for period in live {
                if merged > 0, period.start.number <= live[merged - 1].end.number &+ 1 {
                    if period.end > live[merged - 1].end { live[merged - 1].end = period.end }
                } else {
                    live[merged] = period
                    merged += 1
                }
            }
            guard normalStays.isEmpty else { return merged }
            // Clip: the intervals are sorted and disjoint, so the kept ones are contiguous.
            var clipped = 0
            if !window.isEmpty {
                for index in 0..<merged where live[index].overlaps(window) {
                    live[clipped] = live[index].intersection(window)
                    clipped += 1
                }
            }
            return clipped
        }
        guard !normalStays.isEmpty else {
            self.init(normalized: Array(periods[0..<kept]), stays: [])
            return
        }
        let covered = Timeline.subtract(normalStays, from: Array(periods[0..<kept]))
        var clipped: [Period] = []
        if !window.isEmpty {
            for period in covered where period.overlaps(window) { clipped.append(period.intersection(window)) }
        }
        self.init(normalized: clipped, stays: Timeline.clip(normalStays, to: window))
    }

    init(normalized intervals: [Period], stays: [Period]) {
        self.intervals = intervals
        self.stays = stays
    }

    /// Sorts, drops empty periods and merges overlapping or touching ones.
    static func normalize(_ periods: [Period]) -> [Period] {
        var sorted = periods.filter { !$0.isEmpty }
        guard sorted.count > 1 else { return sorted }
        sorted.sort { $0.start < $1.start }
        var merged: [Period] = []
        merged.reserveCapacity(sorted.count)
        var current = sorted[0]
        for period in sorted.dropFirst() {
            if period.start.number <= current.end.number &+ 1 {
                if period.end > current.end { current.end = period.end }
            } else {
                merged.append(current)
                current = period
            }
        }
        merged.append(current)
        return merged
    }

    /// `intervals` minus `holes`; both in normal form.
    static func subtract(_ holes: [Period], from intervals: [Period]) -> [Period] {
        var result: [Period] = []
        result.reserveCapacity(intervals.count + holes.count)
        var holeIndex = 0
        for interval in intervals {
            var start = interval.start
            while holeIndex < holes.count, holes[holeIndex].end < start { holeIndex += 1 }
            var probe = holeIndex
            while probe < holes.count, holes[probe].start <= interval.end, start <= interval.end {
                let hole = holes[probe]
                if hole.start > start { result.append(Period(start, hole.start - 1)) }
                if hole.end >= start { start = hole.end + 1 }
                probe += 1
            }
            if start <= interval.end { result.append(Period(start, interval.end)) }
        }
        return result
    }

    /// Days in normal-form `periods` that fall inside `window`.
    static func days(of periods: [Period], within window: Period) -> Int {
        guard !window.isEmpty else { return 0 }
        var total = 0
        // First interval that can reach the window: binary search on end.
        var low = 0, high = periods.count
        while low < high {
            let mid = (low + high) / 2
            if periods[mid].end < window.start { low = mid + 1 } else { high = mid }
        }
        var index = low
        while index < periods.count, periods[index].start <= window.end {
            total += periods[index].intersection(window).dayCount
            index += 1
        }
        return total
    }

    /// Covered days inside `window`.
    public func coveredDays(within window: Period) -> Int { Timeline.days(of: intervals, within: window) }

    /// Stay days inside `window`.
    public func stayDays(within window: Period) -> Int { Timeline.days(of: stays, within: window) }

    /// Covered days in total.
    public var coveredDayCount: Int { intervals.reduce(0) { $0 + $1.dayCount } }

    /// First covered day, if any.
    public var firstDay: Day? { intervals.first?.start }

    /// Last covered day, if any.
    public var lastDay: Day? { intervals.last?.end }

    /// Uncovered runs inside `window` longer than `longerThan` days, stay days not counted as gaps.
    ///
    /// A run touching the window's start or end counts too (it is uncovered window time).
    public func gaps(within window: Period, longerThan minimum: Int = 0) -> [Period] {
        guard !window.isEmpty else { return [] }
        let holes = Timeline.normalize(intervals + stays)
        let uncovered = Timeline.subtract(holes, from: [window])
        return uncovered.filter { $0.dayCount > minimum }
    }

    /// The first uncovered run inside `window` longer than `longerThan` days.
    public func firstGap(within window: Period, longerThan minimum: Int) -> Period? {
        gaps(within: window, longerThan: minimum).first
    }

    /// The first uncovered run between the first and last covered day longer than `longerThan` days.
    public func firstGap(longerThan minimum: Int) -> Period? {
        guard let first = firstDay, let last = lastDay else { return nil }
        return firstGap(within: Period(first, last), longerThan: minimum)
    }

    /// Covered runs joined across gaps of at most `maxGap` uncovered days (stay days are not gap days).
    public func episodes(maxGap: Int) -> [CoverageEpisode] {
        guard let first = intervals.first else { return [] }
        var result: [CoverageEpisode] = []
        var current = CoverageEpisode(start: first.start, end: first.end)
        for interval in intervals.dropFirst() {
            let gap = (interval.start - current.end - 1) - Timeline.days(
                of: stays, within: Period(current.end + 1, interval.start - 1))
            if gap <= maxGap {
                current.end = interval.end
            } else {
                result.append(current)
                current = CoverageEpisode(start: interval.start, end: interval.end)
            }
        }
        result.append(current)
        return result
    }

    /// The timeline restricted to `window` (stays clipped too).
    public func clipped(to window: Period) -> Timeline {
        Timeline(normalized: Timeline.clip(intervals, to: window), stays: Timeline.clip(stays, to: window))
    }

    static func clip(_ periods: [Period], to window: Period) -> [Period] {
        guard !window.isEmpty else { return [] }
        var result: [Period] = []
        for period in periods where period.overlaps(window) { result.append(period.intersection(window)) }
        return result
    }

    /// Days covered in both timelines; stays are the union of both.
    public func intersection(_ other: Timeline) -> Timeline {
        var result: [Period] = []
        var left = 0, right = 0
        while left < intervals.count, right < other.intervals.count {
            let a = intervals[left], b = other.intervals[right]
            let overlap = a.intersection(b)
            if !overlap.isEmpty { result.append(overlap) }
            if a.end < b.end { left += 1 } else { right += 1 }
        }
        return Timeline(covering: result, stays: stays + other.stays)
    }

    /// Days covered in either timeline; stays are the union of both.
    public func union(_ other: Timeline) -> Timeline {
        Timeline(covering: intervals + other.intervals, stays: stays + other.stays)
    }
}
