/// A calendar day, stored as the number of days since 1970-01-01 (proleptic Gregorian).
///
/// There are no times and no time zones anywhere in RxRules: a day is a whole number,
/// so day arithmetic is integer arithmetic and intervals are inclusive ranges of days.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01; negative before it.
    public var number: Int32

    /// Wraps a day number.
    @inlinable public init(number: Int32) { self.number = number }

    /// The day with this year, month (1-12) and day of month, or nil when no such date exists.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= Day.daysInMonth(year: year, month: month)
        else { return nil }
        self.number = Int32(Day.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses `YYYY-MM-DD` or `YYYYMMDD`; nil for anything else, including impossible dates.
    public init?(_ text: some StringProtocol) {
        var string = String(text)
        guard let day = string.withUTF8({ Day(bytes: $0) }) else { return nil }
        self = day
    }

    /// Parses `YYYY-MM-DD` or `YYYYMMDD` from raw bytes without allocating (the CSV hot path).
    @inlinable
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        let year: Int, month: Int, day: Int
        switch bytes.count {
        case 10:
            guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
                  let y = Day.digits(bytes, 0, 4), let m = Day.digits(bytes, 5, 2),
                  let d = Day.digits(bytes, 8, 2)
            else { return nil }
            // Claim dates: a few integer operations instead of the general civil conversion.
            if let number = Day.fastNumber(year: y, month: m, day: d) {
                self.init(number: number)
                return
            }
            (year, month, day) = (y, m, d)
        case 8:
            guard let y = Day.digits(bytes, 0, 4), let m = Day.digits(bytes, 4, 2),
                  let d = Day.digits(bytes, 6, 2)
            else { return nil }
            (year, month, day) = (y, m, d)
        default:
            return nil
        }
        self.init(year: year, month: month, day: day)
    }

    /// The day number of a valid date in 1901...2099, where every fourth year is a leap year;
    /// nil for an impossible date or another year (the general conversion decides those).
    @inlinable
    static func fastNumber(year: Int, month: Int, day: Int) -> Int32? {
        guard year >= 1901, year <= 2099, month >= 1, month <= 12, day >= 1 else { return nil }
        let leap = year & 3 == 0 ? 1 : 0
        // Days before the month in a common year: 31 per month for January and February, then
        // March's 30.6-day cycle (153 days per 5 months), plus the leap day after February.
        let start = month <= 2 ? (month - 1) * 31 : (153 * (month - 3) + 2) / 5 + 59 + leap
        let next = month < 2 ? 31 : (153 * (month - 2) + 2) / 5 + 59 + leap
        guard day <= next - start else { return nil }
        // Days from 1970-01-01 to January 1 of `year`: 365 a year plus the leap days between (floor division).
        let yearStart = 365 * (year - 1970) + ((year - 1969) >> 2)
        return Int32(yearStart + start + day - 1)
    }

    @inlinable
    static func digits(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            let digit = Int(bytes[index]) &- 48
            guard digit >= 0, digit <= 9 else { return nil }
            value = value &* 10 &+ digit
        }
        return value
    }

    /// Year, month (1-12) and day of month.
    public var civil: (year: Int, month: Int, day: Int) { Day.civilFromDays(Int(number)) }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = civil
        // Years 0-9999 (all real data) as ten ASCII bytes: a small string, no allocation.
        guard (0...9999).contains(y) else { return Day.pad(y, 4) + "-" + Day.pad(m, 2) + "-" + Day.pad(d, 2) }
        return String(unsafeUninitializedCapacity: 10) { buffer in
            func put(_ value: Int, at start: Int, width: Int) {
                var rest = value
                for offset in (0..<width).reversed() {
                    buffer[start + offset] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                    rest /= 10
                }
            }
            put(y, at: 0, width: 4)
            buffer[4] = UInt8(ascii: "-")
            put(m, at: 5, width: 2)
            buffer[7] = UInt8(ascii: "-")
            put(d, at: 8, width: 2)
            return 10
        }
    }

    /// Appends `description`'s bytes (writers of result files: no string is made).
    public func appendDescription(to bytes: inout [UInt8]) {
        let (y, m, d) = civil
        guard (0...9999).contains(y) else {
            bytes.append(contentsOf: description.utf8)
            return
        }
        func put(_ value: Int, width: Int) {
            var divisor = width == 4 ? 1000 : 10
            while divisor > 0 {
                bytes.append(UInt8(truncatingIfNeeded: 48 + value / divisor % 10))
                divisor /= 10
            }
        }
        put(y, width: 4)
        bytes.append(UInt8(ascii: "-"))
        put(m, width: 2)
        bytes.append(UInt8(ascii: "-"))
        put(d, width: 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    public static func < (lhs: Day, rhs: Day) -> Bool { lhs.number < rhs.number }

    /// The day `days` later (earlier when negative).
    @inlinable public static func + (lhs: Day, days: Int) -> Day { Day(number: lhs.number + Int32(days)) }
    /// The day `days` earlier.
    @inlinable public static func - (lhs: Day, days: Int) -> Day { Day(number: lhs.number - Int32(days)) }
    /// Whole days from `rhs` to `lhs` (0 for the same day).
    @inlinable public static func - (lhs: Day, rhs: Day) -> Int { Int(lhs.number) - Int(rhs.number) }

    /// The earliest and latest days RxRules handles: 0001-01-01 and 9999-12-31.
    public static let supportedRange = Int(Day.daysFromCivil(year: 1, month: 1, day: 1))...Int(Day.daysFromCivil(year: 9999, month: 12, day: 31))

    /// The day `days` later (earlier when negative), or nil outside 0001-01-01 ... 9999-12-31.
    public func adding(days: Int) -> Day? {
        let (sum, overflow) = Int(number).addingReportingOverflow(days)
        guard !overflow, Day.supportedRange.contains(sum) else { return nil }
        return Day(number: Int32(sum))
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month of a year.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The same day of month `months` later, clamped to the month's last day (Jan 31 + 1 month = Feb 28).
    public func adding(months: Int) -> Day? {
        let (y, m, d) = civil
        guard abs(months) <= 120_000 else { return nil }
        let total = y * 12 + (m - 1) + months
        let year = total / 12, month = total % 12 + 1
        guard (1...9999).contains(year) else { return nil }
        return Day(year: year, month: month, day: min(d, Day.daysInMonth(year: year, month: month)))
    }

    /// Whole years completed between `self` (a birth date) and `date`: age at a date.
    public func age(at date: Day) -> Int {
        let (by, bm, bd) = civil
        let (y, m, d) = date.civil
        var years = y - by
        if (m, d) < (bm, bd) { years -= 1 }
        return years
    }

    // Days from civil date and back: the standard era-based algorithm for the proleptic Gregorian calendar.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

/// A closed range of days: both `start` and `end` are inside. Empty when `end < start`.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    public var start: Day
    public var end: Day

    public init(_ start: Day, _ end: Day) {
        self.start = start
        self.end = end
    }

    /// Days in the period, both ends counted; 0 when empty.
    public var dayCount: Int { max(0, end - start + 1) }
    public var isEmpty: Bool { end < start }

    public func contains(_ day: Day) -> Bool { start <= day && day <= end }

    /// Whether the two periods share at least one day.
    public func overlaps(_ other: Period) -> Bool {
        !isEmpty && !other.isEmpty && start <= other.end && other.start <= end
    }

    /// The days in both periods (possibly empty).
    public func intersection(_ other: Period) -> Period {
        Period(max(start, other.start), min(end, other.end))
    }

    /// `YYYY-MM-DD..YYYY-MM-DD`.
    public var description: String { "\(start)..\(end)" }
}
