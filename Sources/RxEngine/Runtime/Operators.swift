import RxLanguage
import RxRecords
import RxValues

/// Equality, order and membership between runtime values.
enum Compare {
    static func codeText(_ value: Value, _ codes: CodeTable) -> String? {
        switch value {
        case .code(let id): codes[id]
        case .codeText(let text): text.filter { $0 != "." }
        case .string(let text): text
        case .enumMember(let text): text
        default: nil
        }
    }

    /// Value equality for `=` and for `expect` (numbers compare exactly across Int, Decimal and Days).
    static func equal(_ a: Value, _ b: Value, codes: CodeTable) -> Bool {
        switch (a, b) {
        case (.code(let x), .code(let y)): return x == y
        case (.money(let x), .money(let y)): return x == y
        // Same answers as the general paths below, without building rationals or code texts.
        case (.string(let x), .string(let y)): return x == y
        case (.int(let x), .int(let y)), (.days(let x), .days(let y)): return x == y
        case (.date(let x), .date(let y)): return x == y
        case (.list(let xs), .list(let ys)):
            return xs.count == ys.count && zip(xs, ys).allSatisfy { equal($0, $1, codes: codes) }
        default: break
        }
        if let x = a.rational, let y = b.rational { return x == y }
        if let x = codeText(a, codes), let y = codeText(b, codes) { return x == y }
        return a == b
    }

    /// -1, 0 or 1; nil when either side is missing or the values do not order.
    static func order(_ a: Value, _ b: Value, codes: CodeTable) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.date(let x), .date(let y)): return sign(x, y)
        case (.money(let x), .money(let y)): return sign(x, y)
        case (.int(let x), .int(let y)), (.days(let x), .days(let y)): return sign(x, y)
        default: break
        }
        if let x = a.rational, let y = b.rational { return sign(x, y) }
        if let x = codeText(a, codes), let y = codeText(b, codes) { return sign(x, y) }
        return nil
    }

    /// `a in b`: value-set membership (any element for a list of codes), list membership, or a date in a period.
    /// Takes the parts of the context it reads, not the context: passing that would copy it.
    static func member(_ a: Value, of b: Value, valueSets: [BoundValueSet], codes: CodeTable) -> Bool? {
        if a.isMissing || b.isMissing { return nil }
        switch b {
        case .valueSet(let index):
            let set = valueSets[index]
            func contains(_ value: Value) -> Bool {
                switch value {
                case .code(let id): set.contains(id)
                case .codeText(let text), .string(let text): set.contains(text: text)
                default: false
                }
            }
            if case .list(let items) = a { return items.contains(where: contains) }
            return contains(a)
        case .list(let items):
            return items.contains { equal(a, $0, codes: codes) }
        case .period(let period):
            guard case .date(let day) = a else { return nil }
            return period.contains(day)
        default:
            return nil
        }
    }
}

/// Arithmetic with the result type the checker decided.
enum Arithmetic {
    static func negate(_ value: Value, as type: RuleType) -> Value {
        switch value {
        case .int(let x): x == .min ? .missing : .int(-x)
        case .days(let x): x == .min ? .missing : .days(-x)
        case .months(let x): x == .min ? .missing : .months(-x)
        case .decimal(let x): (Rational(integer: 0) - x).map(Value.decimal) ?? .missing
        case .money(let x): ExactDecimal.zero.subtracting(x).map(Value.money) ?? .missing
        default: .missing
        }
    }

    static func apply(_ op: BinaryOperator, _ a: Value, _ b: Value, as type: RuleType) -> Value {
        if a.isMissing || b.isMissing { return .missing }
        switch (op, a, b) {
        case (.add, .date(let day), .days(let count)), (.add, .days(let count), .date(let day)):
            return day.adding(days: count).map(Value.date) ?? .missing
        case (.subtract, .date(let day), .days(let count)):
            return count == .min ? .missing : day.adding(days: -count).map(Value.date) ?? .missing
        case (.add, .date(let day), .months(let count)), (.add, .months(let count), .date(let day)):
            return day.adding(months: count).map(Value.date) ?? .missing
        case (.subtract, .date(let day), .months(let count)):
            return count == .min ? .missing : day.adding(months: -count).map(Value.date) ?? .missing
        case (.subtract, .date(let x), .date(let y)):
            return .days(x - y)
        case (.add, .money(let x), .money(let y)):
            return x.adding(y).map(Value.money) ?? .missing
        case (.subtract, .money(let x), .money(let y)):
            return x.subtracting(y).map(Value.money) ?? .missing
        case (.multiply, .money(let x), _), (.multiply, _, .money(let x)):
            let other = op == .multiply && { if case .money = a { return true } else { return false } }() ? b : a
            guard let factor = other.rational, let product = Rational(x) * factor,
                  let amount = rationalMoney(product, scale: x.scale)
            else { return .missing }
            return .money(amount)
        case (.divide, .money(let x), _):
            guard let divisor = b.rational, let ratio = Rational(x).divided(by: divisor) else { return .missing }
            if case .money = b { return .decimal(ratio) }
            return rationalMoney(ratio, scale: x.scale).map(Value.money) ?? .missing
        default:
            break
        }
        guard let x = a.rational, let y = b.rational else { return .missing }
        // Every operation gives a missing value, never a trap, when its exact result does not fit.
        let result: Rational?
        switch op {
        case .add: result = x + y
        case .subtract: result = x - y
        case .multiply: result = x * y
        case .divide: result = x.divided(by: y)
        default: return .missing
        }
        return result.map { shaped($0, as: type) } ?? .missing
    }

    /// A rational in the shape of the static type (Int and Days stay whole).
    static func shaped(_ value: Rational, as type: RuleType) -> Value {
        switch type {
        case .int: value.isInteger ? .int(value.numerator) : .decimal(value)
        case .days: value.isInteger ? .days(value.numerator) : .decimal(value)
        case .months: value.isInteger ? .months(value.numerator) : .decimal(value)
        default: .decimal(value)
        }
    }

    /// Money keeps its scale (at least 2); a result between cents rounds half-even.
    static func rationalMoney(_ value: Rational, scale: UInt8) -> ExactDecimal? {
        value.rounded(digits: Int(max(scale, 2)), rule: .halfEven)
    }
}
