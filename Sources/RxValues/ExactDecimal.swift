/// An exact decimal number: an integer count of units of 10^-scale.
///
/// Used for money and for decimal literals. Never binary floating point. The scale a value was
/// written with is kept (`12.50` stays `12.50`), while comparison and equality are numeric
/// (`1.5 == 1.50`). Arithmetic that would not fit returns nil rather than trapping, so that a
/// value read from user data can never crash the host.
public struct ExactDecimal: Sendable, CustomStringConvertible {
    /// The value times 10^scale.
    public var units: Int64
    /// Number of fraction digits, 0...18.
    public var scale: UInt8

    public static let maxScale: UInt8 = 18
    public static let zero = ExactDecimal(units: 0, scale: 0)

    /// A decimal `units × 10^-scale`; the scale is clamped to `maxScale` by the caller's contract.
    @inlinable public init(units: Int64, scale: UInt8) {
        self.units = units
        self.scale = scale
    }

    /// A whole number.
    @inlinable public init(_ integer: Int64) { self.init(units: integer, scale: 0) }

    /// Parses `-12`, `12.50`, `+0.5`, `.5`; nil for anything else (`12.3.4`, `1e5`, `12,50`, empty).
    public init?(_ text: some StringProtocol) {
        var string = String(text)
        guard let value = string.withUTF8({ ExactDecimal(bytes: $0) }) else { return nil }
        self = value
    }

    /// Parses from raw bytes without allocating (the CSV hot path).
    @inlinable
    public init?(bytes: UnsafeBufferPointer<UInt8>) {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        // At most 18 digits cannot overflow: no checks per digit (the common case by far).
        if bytes.count - index <= 18 {
            let digitsStart = index
            var units: Int64 = 0
            var point = -1
            while index < bytes.count {
                let digit = bytes[index] &- 48
                if digit <= 9 {
                    units = units &* 10 &+ Int64(digit)
                } else if bytes[index] == UInt8(ascii: "."), point < 0 {
                    point = index
                } else {
                    return nil
                }
                index += 1
            }
            let digitCount = bytes.count - digitsStart - (point < 0 ? 0 : 1)
            guard digitCount > 0 else { return nil }
            self.init(units: negative ? -units : units, scale: point < 0 ? 0 : UInt8(bytes.count - 1 - point))
            return
        }
        var units: Int64 = 0
        var digitCount = 0
        var scale = 0
        var seenPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
            } else {
                let digit = Int64(byte) &- 48
                guard digit >= 0, digit <= 9 else { return nil }
                let (timesTen, overflow1) = units.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = timesTen.addingReportingOverflow(digit)
                guard !overflow1, !overflow2 else { return nil }
                units = sum
                digitCount += 1
                if seenPoint { scale += 1 }
            }
            index += 1
        }
        guard digitCount > 0, scale <= Int(ExactDecimal.maxScale) else { return nil }
        self.init(units: negative ? -units : units, scale: UInt8(scale))
    }

    public var isNegative: Bool { units < 0 }
    public var isZero: Bool { units == 0 }

    /// The plain decimal text with exactly `scale` fraction digits: `-0.05`, `12.50`, `7`.
    public var description: String {
        withText { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends `description`'s UTF-8 bytes (for output rows written as bytes, no `String` made).
    public func appendDescription(to bytes: inout [UInt8]) {
        withText { bytes.append(contentsOf: $0) }
    }

    private func withText<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        // Written right to left into one buffer: at most 20 digits, a point, a sign and a leading zero.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var magnitude = units.magnitude
            var position = buffer.count
            let fraction = Int(scale)
            var written = 0
            while magnitude > 0 || written <= fraction {
                if written == fraction && fraction > 0 {
                    position -= 1
                    buffer[position] = UInt8(ascii: ".")
                }
                position -= 1
                buffer[position] = UInt8(truncatingIfNeeded: 48 + magnitude % 10)
                magnitude /= 10
                written += 1
            }
            if units < 0 {
                position -= 1
                buffer[position] = UInt8(ascii: "-")
            }
            return body(UnsafeBufferPointer(rebasing: buffer[position...]))
        }
    }

    static func power(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// The value rescaled to `scale` digits as a wide integer (exact when `scale >= self.scale`).
    func wideUnits(at target: UInt8) -> Int128 {
        Int128(units) * ExactDecimal.power(Int(target) - Int(scale))
    }

    static func narrow(_ wide: Int128, scale: UInt8) -> ExactDecimal? {
        guard let units = Int64(exactly: wide) else { return nil }
        return ExactDecimal(units: units, scale: scale)
    }

    /// `self + other` at the larger scale; nil on overflow.
    public func adding(_ other: ExactDecimal) -> ExactDecimal? {
        let target = max(scale, other.scale)
        return ExactDecimal.narrow(wideUnits(at: target) + other.wideUnits(at: target), scale: target)
    }

    /// `self − other` at the larger scale; nil on overflow.
    public func subtracting(_ other: ExactDecimal) -> ExactDecimal? {
        let target = max(scale, other.scale)
        return ExactDecimal.narrow(wideUnits(at: target) - other.wideUnits(at: target), scale: target)
    }

    /// `self × other`, exact (scales add); rounded half-even to `maxScale` only if the exact scale exceeds it.
    /// Nil on overflow.
    public func multiplying(_ other: ExactDecimal) -> ExactDecimal? {
        let product = Int128(units) * Int128(other.units)
        let exactScale = Int(scale) + Int(other.scale)
        if exactScale <= Int(ExactDecimal.maxScale) {
            return ExactDecimal.narrow(product, scale: UInt8(exactScale))
        }
        let dropped = exactScale - Int(ExactDecimal.maxScale)
        let rounded = ExactDecimal.divide(product, by: ExactDecimal.power(dropped), rounding: .halfEven)
        return ExactDecimal.narrow(rounded, scale: ExactDecimal.maxScale)
    }

    /// `self ÷ other` rounded to `scale` digits with `rounding`; nil on division by zero or overflow.
    public func dividing(by other: ExactDecimal, scale target: UInt8, rounding: RoundingRule) -> ExactDecimal? {
        guard other.units != 0, target <= ExactDecimal.maxScale else { return nil }
        // self/other = (u1/10^s1)/(u2/10^s2); result units = u1 * 10^(t + s2 - s1) / u2.
        let shift = Int(target) + Int(other.scale) - Int(scale)
        var numerator = Int128(units)
        var denominator = Int128(other.units)
        if shift >= 0 {
            let (scaled, overflow) = numerator.multipliedReportingOverflow(by: ExactDecimal.power(shift))
            guard !overflow else { return nil }
            numerator = scaled
        } else {
            denominator *= ExactDecimal.power(-shift)
        }
        return ExactDecimal.narrow(ExactDecimal.divide(numerator, by: denominator, rounding: rounding), scale: target)
    }

    /// The value rounded (or padded) to exactly `target` fraction digits.
    public func rounded(scale target: UInt8, rounding: RoundingRule = .halfEven) -> ExactDecimal? {
        if target >= scale {
            return ExactDecimal.narrow(wideUnits(at: target), scale: target)
        }
        let divisor = ExactDecimal.power(Int(scale) - Int(target))
        return ExactDecimal.narrow(ExactDecimal.divide(Int128(units), by: divisor, rounding: rounding), scale: target)
    }

    /// The value with trailing fraction zeros removed (`12.50` → `12.5`, `3.00` → `3`).
    public var normalized: ExactDecimal {
        var result = self
        while result.scale > 0, result.units % 10 == 0 {
            result.units /= 10
            result.scale -= 1
        }
        return result
    }

    /// Integer division of wide values with a rounding rule; `divisor` must not be 0.
    static func divide(_ dividend: Int128, by divisor: Int128, rounding: RoundingRule) -> Int128 {
        let quotient = dividend / divisor          // truncates toward zero
        let remainder = dividend % divisor
        if remainder == 0 { return quotient }
        let positive = (dividend < 0) == (divisor < 0)
        let awayFromZero: Int128 = positive ? 1 : -1
        let twiceRemainder = remainder.magnitude * 2
        let divisorMagnitude = divisor.magnitude
        switch rounding {
        case .down: return quotient
        case .up: return quotient + awayFromZero
        case .floor: return positive ? quotient : quotient - 1
        case .ceiling: return positive ? quotient + 1 : quotient
        case .halfUp:
            return twiceRemainder >= divisorMagnitude ? quotient + awayFromZero : quotient
        case .halfEven:
            if twiceRemainder > divisorMagnitude { return quotient + awayFromZero }
            if twiceRemainder < divisorMagnitude { return quotient }
            return quotient % 2 == 0 ? quotient : quotient + awayFromZero
        }
    }
}

extension ExactDecimal: Comparable, Hashable {
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let target = max(lhs.scale, rhs.scale)
        return lhs.wideUnits(at: target) == rhs.wideUnits(at: target)
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let target = max(lhs.scale, rhs.scale)
        return lhs.wideUnits(at: target) < rhs.wideUnits(at: target)
    }

    public func hash(into hasher: inout Hasher) {
        let canonical = normalized
        hasher.combine(canonical.units)
        hasher.combine(canonical.scale)
    }
}

/// How a value that does not fit the target number of digits is rounded.
public enum RoundingRule: String, Sendable, CaseIterable {
    /// To nearest; a tie goes to the even neighbour (banker's rounding). RxRules' default for money.
    case halfEven = "half_even"
    /// To nearest; a tie goes away from zero.
    case halfUp = "half_up"
    /// Toward zero (truncate).
    case down
    /// Away from zero.
    case up
    /// Toward negative infinity.
    case floor
    /// Toward positive infinity.
    case ceiling
}
