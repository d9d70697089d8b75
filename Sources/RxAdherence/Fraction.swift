import RxValues

/// An exact ratio of whole day counts, kept as given (not reduced) so `explain` can show `281/334`.
public struct Fraction: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The numerator.
    public var numerator: Int
    /// The denominator; always positive.
    public var denominator: Int

    /// A ratio; nil when the denominator is not positive.
    public init?(_ numerator: Int, _ denominator: Int) {
        guard denominator > 0 else { return nil }
        self.numerator = numerator
        self.denominator = denominator
    }

    /// `numerator/denominator`.
    public var description: String { "\(numerator)/\(denominator)" }

    /// The ratio rounded to `scale` fraction digits (PQA practice: 4, half-up or half-even by parameter).
    public func rounded(scale: UInt8 = 4, rounding: RoundingRule = .halfEven) -> ExactDecimal? {
        ExactDecimal(Int64(numerator)).dividing(by: ExactDecimal(Int64(denominator)), scale: scale, rounding: rounding)
    }

    /// Whether the exact ratio is at least `threshold` (no rounding: 0.79996 is below 0.8).
    public func isAtLeast(_ threshold: ExactDecimal) -> Bool {
        // n/d ≥ u/10^s  ⇔  n·10^s ≥ u·d
        let scaled = Int128(numerator) * powerOfTen(Int(threshold.scale))
        return scaled >= Int128(threshold.units) * Int128(denominator)
    }

    /// The ratio capped at 1 (`min(·, 1)`), keeping the denominator.
    public var cappedAtOne: Fraction {
        var result = self
        if result.numerator > result.denominator { result.numerator = result.denominator }
        return result
    }

    /// The ratio as a binary double, for display and plotting only.
    public var doubleValue: Double { Double(numerator) / Double(denominator) }

    public static func < (lhs: Fraction, rhs: Fraction) -> Bool {
        Int128(lhs.numerator) * Int128(rhs.denominator) < Int128(rhs.numerator) * Int128(lhs.denominator)
    }

    /// Numeric equality (`1/2 == 2/4`).
    public static func == (lhs: Fraction, rhs: Fraction) -> Bool {
        Int128(lhs.numerator) * Int128(rhs.denominator) == Int128(rhs.numerator) * Int128(lhs.denominator)
    }

    public func hash(into hasher: inout Hasher) {
        let divisor = Fraction.gcd(abs(numerator), denominator)
        hasher.combine(numerator / divisor)
        hasher.combine(denominator / divisor)
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return max(x, 1)
    }
}

/// 10^exponent as a wide integer (exponent ≤ 36).
func powerOfTen(_ exponent: Int) -> Int128 {
    var result: Int128 = 1
    for _ in 0..<max(0, exponent) { result *= 10 }
    return result
}
