import RxLanguage
import RxValues

/// Conversions between rule values and the values a native function exchanges over the C boundary.
enum NativeCall {
    /// The argument form of a value; nil for a missing value (the call is then not made).
    static func argument(_ value: Value) -> NativeValue? {
        switch value {
        case .bool(let flag): return .bool(flag)
        case .int(let number), .days(let number): return .int(Int64(number))
        case .decimal(let rational):
            // Exact when the fraction has a finite decimal form within 18 digits; else rounded half-even.
            return rational.rounded(digits: 18, rule: .halfEven).map { .decimal($0.normalized) }
        case .money(let amount): return .decimal(amount)
        case .date(let day): return .date(day)
        case .string(let text), .codeText(let text), .enumMember(let text): return .string(text)
        default: return nil
        }
    }

    static func result(_ value: NativeValue) -> Value {
        switch value {
        case .bool(let flag): .bool(flag)
        case .int(let number): Int(exactly: number).map(Value.int) ?? .missing
        case .decimal(let decimal): .decimal(Rational(decimal))
        case .date(let day): .date(day)
        case .string(let text): .string(text)
        }
    }
}
