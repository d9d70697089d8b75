import RxValues

/// A parameter value known before evaluation: a declared default or a `--param` override.
public enum ParameterValue: Sendable, Equatable, CustomStringConvertible {
    case bool(Bool)
    case int(Int)
    case decimal(ExactDecimal)
    case money(ExactDecimal, currency: String)
    case date(Day)
    case days(Int)
    case months(Int)
    case period(Period)
    case string(String)
    case code(String)

    public var description: String {
        switch self {
        case .bool(let value): "\(value)"
        case .int(let value): "\(value)"
        case .decimal(let value): value.description
        case .money(let value, let currency): "\(value) \(currency)"
        case .date(let value): value.description
        case .days(let value): value == 1 ? "1 day" : "\(value) days"
        case .months(let value): value == 1 ? "1 month" : "\(value) months"
        case .period(let value): "\(value.start) .. \(value.end)"
        case .string(let value): "\"\(value)\""
        case .code(let value): value
        }
    }

    /// Parses the text of a `--param name=value` override as a value of `type`.
    ///
    /// Accepted forms: `true`/`false`; `30`; `0.80`; `5000.00` or `5000.00 USD`; `2025-01-01`;
    /// `30` or `30 days`; `6` or `6 months`; `2025-01-01..2025-12-31`; any text for String and Code.
    /// Returns nil when the text is not a value of that type (the caller reports the expected form).
    public static func parse(_ text: String, as type: RuleType, currency: String?) -> ParameterValue? {
        let trimmed = text.trimmingSpaces
        switch type {
        case .bool:
            switch trimmed {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        case .int:
            return Int(trimmed).map(ParameterValue.int)
        case .decimal:
            return ExactDecimal(trimmed).map(ParameterValue.decimal)
        case .money:
            let parts = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            guard let amountText = parts.first, parts.count <= 2, let amount = ExactDecimal(amountText) else { return nil }
            let given = parts.count == 2 ? String(parts[1]) : currency
            guard let given, given == (currency ?? given) else { return nil }
            return .money(amount, currency: given)
        case .date:
            return Day(trimmed).map(ParameterValue.date)
        case .days, .months:
            let unitNames = type == .days ? ["day", "days"] : ["month", "months"]
            let parts = trimmed.split(separator: " ", omittingEmptySubsequences: true)
            guard let number = parts.first.flatMap({ Int($0) }), parts.count == 1 || (parts.count == 2 && unitNames.contains(String(parts[1])))
            else { return nil }
            return type == .days ? .days(number) : .months(number)
        case .period:
            let ends = trimmed.splitOnce("..")
            guard let ends, let start = Day(ends.0.trimmingSpaces), let end = Day(ends.1.trimmingSpaces), start <= end
            else { return nil }
            return .period(Period(start, end))
        case .string:
            return .string(trimmed)
        case .code:
            return trimmed.isEmpty ? nil : .code(trimmed)
        default:
            return nil
        }
    }

    /// The form an override of `type` must take, for the error message.
    public static func expectedForm(of type: RuleType) -> String {
        switch type {
        case .bool: "true or false"
        case .int: "a whole number such as 30"
        case .decimal: "a decimal number such as 0.80"
        case .money: "an amount such as 5000.00 or 5000.00 USD"
        case .date: "a date such as 2025-01-01"
        case .days: "a number of days such as 30"
        case .months: "a number of months such as 6"
        case .period: "a period such as 2025-01-01..2025-12-31"
        case .string, .code: "text"
        default: "a value of type \(type)"
        }
    }
}

/// One `--param name=value` from the command line.
public struct ParameterOverride: Sendable, Equatable {
    /// The parameter named.
    public var name: String
    /// The value as typed, parsed later against the declared type.
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// Splits `name=value` at the first `=`; nil when there is no `=` or no name.
    public init?(argument: String) {
        guard let equals = argument.firstIndex(of: "=") else { return nil }
        let name = String(argument[..<equals]).trimmingSpaces
        guard !name.isEmpty else { return nil }
        self.name = name
        self.text = String(argument[argument.index(after: equals)...])
    }
}

extension String {
    /// The text before and after the first occurrence of `separator`.
    func splitOnce(_ separator: String) -> (String, String)? {
        let characters = Array(self)
        let pattern = Array(separator)
        guard characters.count >= pattern.count else { return nil }
        for start in 0...(characters.count - pattern.count) where Array(characters[start..<(start + pattern.count)]) == pattern {
            return (String(characters[..<start]), String(characters[(start + pattern.count)...]))
        }
        return nil
    }

    var trimmingSpaces: String {
        var slice = Substring(self)
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
