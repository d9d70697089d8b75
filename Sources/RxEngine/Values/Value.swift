import RxAdherence
import RxRecords
import RxValues

/// A runtime value of the rule language.
///
/// Records are references (absolute indexes into the record set's arrays), never copies.
public enum Value: Hashable, Sendable {
    case missing
    case bool(Bool)
    case int(Int)
    /// Exact: `Decimal` values and divisions are rationals.
    case decimal(Rational)
    /// An amount in the pack currency.
    case money(ExactDecimal)
    case date(Day)
    case days(Int)
    case months(Int)
    case period(Period)
    case string(String)
    /// A code interned in the record set's code table.
    case code(CodeID)
    /// A code written in the pack or a test (not interned).
    case codeText(String)
    /// A member of a closed enumeration (`inpatient`, `F`, `shift_all`).
    case enumMember(String)
    case list([Value])
    case fill(Int32)
    case medical(Int32)
    case enrollment(Int32)
    case observation(Int32)
    case member
    case episode(CoverageEpisode)
    /// An AdhereR treatment episode (`TreatmentEpisode`); boxed, like a CMA window, so that every
    /// value stays small to copy.
    indirect case treatmentEpisode(TreatmentEpisode)
    /// An AdhereR CMA over one window (`CmaWindow`).
    indirect case cmaWindow(CMAWindowValue)
    case timeline(Timeline)
    /// A value set by its index in the plan.
    case valueSet(Int)

    /// Claim references held in the value itself (a record or a list of records).
    var records: [RecordRef] {
        switch self {
        case .fill(let index): [RecordRef(kind: .fill, index: index)]
        case .medical(let index): [RecordRef(kind: .medical, index: index)]
        case .list(let items): items.flatMap(\.records)
        default: []
        }
    }

    var isMissing: Bool {
        if case .missing = self { return true }
        return false
    }

    var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var listValue: [Value]? {
        if case .list(let value) = self { return value }
        return nil
    }

    var dayValue: Day? {
        if case .date(let value) = self { return value }
        return nil
    }

    var periodValue: Period? {
        if case .period(let value) = self { return value }
        return nil
    }

    /// The exact numeric value of an Int, Decimal or Days value.
    var rational: Rational? {
        switch self {
        case .int(let value), .days(let value), .months(let value): Rational(integer: value)
        case .decimal(let value): value
        case .money(let value): Rational(value)
        default: nil
        }
    }
}

/// One AdhereR CMA over a window: a treatment episode's part of the observation window, or a sliding window.
public struct CMAWindowValue: Hashable, Sendable {
    /// The episode's or the window's number (from 1).
    public var number: Int
    public var period: Period
    /// The CMA kept to 12 decimal places; nil when AdhereR gives NA, Inf or NaN.
    public var value: Rational?
}

extension Value: CustomStringConvertible {
    /// How a value prints in test output (codes need the table; see `Value.display(in:)`).
    public var description: String {
        switch self {
        case .missing: "missing"
        case .bool(let value): "\(value)"
        case .int(let value): "\(value)"
        case .decimal(let value): value.description
        case .money(let value): value.description
        case .date(let value): value.description
        case .days(let value): value == 1 ? "1 day" : "\(value) days"
        case .months(let value): value == 1 ? "1 month" : "\(value) months"
        case .period(let value): "\(value.start) .. \(value.end)"
        case .string(let value): "\"\(value)\""
        case .code(let value): "code#\(value)"
        case .codeText(let value): value
        case .enumMember(let value): value
        case .list(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .fill(let index): "fill#\(index)"
        case .medical(let index): "medical#\(index)"
        case .enrollment(let index): "enrollment#\(index)"
        case .observation(let index): "observation#\(index)"
        case .member: "member"
        case .episode(let episode): "episode \(episode)"
        case .treatmentEpisode(let episode): "treatment episode \(episode.number) \(episode.start) .. \(episode.endDay)"
        case .cmaWindow(let window): "CMA window \(window.number) \(window.period.start) .. \(window.period.end)"
        case .timeline(let timeline): "timeline of \(timeline.intervals.count) intervals"
        case .valueSet(let index): "valueset#\(index)"
        }
    }

    /// The value with codes spelled out.
    public func display(codes: CodeTable) -> String {
        switch self {
        case .code(let id): codes[id]
        case .list(let values): "[" + values.map { $0.display(codes: codes) }.joined(separator: ", ") + "]"
        default: description
        }
    }
}
