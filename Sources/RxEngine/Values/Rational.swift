import RxValues

/// An exact ratio of integers, always reduced, denominator positive.
///
/// Decimals of the language are rationals so that `281 / 334` from a literal and `covered / treatment`
/// from days compare exactly; rounding happens only where a pack calls `round`.
public struct Rational: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let numerator: Int
    public let denominator: Int

    /// A reduced ratio; nil when the denominator is 0.
    public init?(_ numerator: Int, _ denominator: Int) {
        self.init(wide: Int128(numerator), Int128(denominator))
    }

    public init(integer: Int) {
        numerator = integer
        denominator = 1
    }

    /// The exact value of a decimal (`0.80` is 4/5).
    public init(_ decimal: ExactDecimal) {
        var power = 1
        for _ in 0..<Int(decimal.scale) { power *= 10 }
        self = Rational(Int(decimal.units), power) ?? Rational(integer: 0)
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return max(x, 1)
    }

    public var isInteger: Bool { denominator == 1 }

    /// A reduced ratio of wide integers; nil when the denominator is 0 or the reduced ratio does not
    /// fit 64 bits (the language then gives a missing value instead of trapping).
    init?(wide numerator: Int128, _ denominator: Int128) {
        guard denominator != 0 else { return nil }
        var (x, y) = (numerator.magnitude, denominator.magnitude)
        while y != 0 { (x, y) = (y, x % y) }
        let divisor = Int128(max(x, 1))
        let sign: Int128 = denominator < 0 ? -1 : 1
        guard let top = Int(exactly: sign * (numerator / divisor)), let bottom = Int(exactly: denominator.magnitude / divisor.magnitude)
        else { return nil }
        self.numerator = top
        self.denominator = bottom
    }

    /// The sum; nil when it does not fit.
    public static func + (lhs: Rational, rhs: Rational) -> Rational? {
        let (sum, overflow) = (Int128(lhs.numerator) * Int128(rhs.denominator))
            .addingReportingOverflow(Int128(rhs.numerator) * Int128(lhs.denominator))
        return overflow ? nil : Rational(wide: sum, Int128(lhs.denominator) * Int128(rhs.denominator))
    }

    /// The difference; nil when it does not fit.
    public static func - (lhs: Rational, rhs: Rational) -> Rational? {
        let (difference, overflow) = (Int128(lhs.numerator) * Int128(rhs.denominator))
            .subtractingReportingOverflow(Int128(rhs.numerator) * Int128(lhs.denominator))
        return overflow ? nil : Rational(wide: difference, Int128(lhs.denominator) * Int128(rhs.denominator))
    }

    /// The product; nil when it does not fit.
    public static func * (lhs: Rational, rhs: Rational) -> Rational? {
        Rational(wide: Int128(lhs.numerator) * Int128(rhs.numerator), Int128(lhs.denominator) * Int128(rhs.denominator))
    }

    /// Nil when dividing by zero or when the quotient does not fit (the language gives a missing value).
    public func divided(by other: Rational) -> Rational? {
        Rational(wide: Int128(numerator) * Int128(other.denominator), Int128(denominator) * Int128(other.numerator))
    }

    public static func < (lhs: Rational, rhs: Rational) -> Bool {
        Int128(lhs.numerator) * Int128(rhs.denominator) < Int128(rhs.numerator) * Int128(lhs.denominator)
    }

    /// Largest integer not above the value.
    public var floor: Int {
        let quotient = numerator / denominator
        return (numerator % denominator != 0 && numerator < 0) ? quotient - 1 : quotient
    }

    /// Smallest integer not below the value.
    public var ceiling: Int {
        let quotient = numerator / denominator
        return (numerator % denominator != 0 && numerator > 0) ? quotient + 1 : quotient
    }

    /// Rounded to `digits` fraction digits as an exact decimal.
    public func rounded(digits: Int, rule: RoundingRule) -> ExactDecimal? {
        ExactDecimal(Int64(numerator)).dividing(
            by: ExactDecimal(Int64(denominator)), scale: UInt8(clamping: max(0, digits)), rounding: rule)
    }

    public var description: String { denominator == 1 ? "\(numerator)" : "\(numerator)/\(denominator)" }
}
