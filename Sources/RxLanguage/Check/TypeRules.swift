/// The operators whose typing the checker decides, independent of how the parser spells them.
public enum OperatorKind: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case range = ".."
}

/// The typing rules of operators, as pure functions of operand types (the language's arithmetic table).
///
/// Optional operands lift: the rule is applied to the wrapped types and the result becomes optional.
public enum TypeRules {
    /// The result of `lhs op rhs`, or nil when the operator does not apply to these types.
    public static func binary(_ op: OperatorKind, _ lhs: RuleType, _ rhs: RuleType) -> RuleType? {
        if lhs.containsError || rhs.containsError { return .error }
        let lifted = lhs.isOptional || rhs.isOptional
        guard let result = plain(op, lhs.unwrapped, rhs.unwrapped) else { return nil }
        return lifted ? result.optional : result
    }

    private static func plain(_ op: OperatorKind, _ lhs: RuleType, _ rhs: RuleType) -> RuleType? {
        switch op {
        case .add: return additive(lhs, rhs, subtracting: false)
        case .subtract: return additive(lhs, rhs, subtracting: true)
        case .multiply:
            switch (lhs, rhs) {
            case (.int, .int): return .int
            case (.int, .decimal), (.decimal, .int), (.decimal, .decimal): return .decimal
            case (.money, .int), (.money, .decimal), (.int, .money), (.decimal, .money): return .money
            case (.days, .int), (.int, .days): return .days
            case (.days, .decimal), (.decimal, .days): return .decimal
            default: return nil
            }
        case .divide:
            // Division is exact: the engine keeps the fraction and rounds only where the pack says.
            switch (lhs, rhs) {
            case (.int, .int), (.int, .decimal), (.decimal, .int), (.decimal, .decimal): return .decimal
            case (.days, .days), (.days, .int), (.days, .decimal): return .decimal
            case (.money, .int), (.money, .decimal): return .money
            case (.money, .money): return .decimal
            default: return nil
            }
        case .equal, .notEqual:
            return comparable(lhs, rhs) ? .bool : nil
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            return comparable(lhs, rhs) && lhs.isOrderable && rhs.isOrderable ? .bool : nil
        case .range:
            return lhs == .date && rhs == .date ? .period : nil
        }
    }

    private static func additive(_ lhs: RuleType, _ rhs: RuleType, subtracting: Bool) -> RuleType? {
        switch (lhs, rhs) {
        case (.int, .int): return .int
        case (.int, .decimal), (.decimal, .int), (.decimal, .decimal): return .decimal
        case (.money, .money): return .money
        case (.days, .days): return .days
        case (.months, .months): return .months
        case (.date, .days), (.date, .months): return .date
        case (.days, .date), (.months, .date): return subtracting ? nil : .date
        case (.date, .date): return subtracting ? .days : nil
        default: return nil
        }
    }

    /// Whether values of the two types can be compared with `=` (and, when orderable, with `<`).
    public static func comparable(_ lhs: RuleType, _ rhs: RuleType) -> Bool {
        let lhs = lhs.unwrapped, rhs = rhs.unwrapped
        if lhs == rhs { return true }
        switch (lhs, rhs) {
        case (.int, .decimal), (.decimal, .int): return true
        // A code read from data compares with a quoted code in a rule.
        case (.code, .string), (.string, .code): return true
        default: return false
        }
    }

    /// The result of `element in collection`, or nil when membership does not apply.
    public static func membership(_ element: RuleType, _ collection: RuleType) -> RuleType? {
        if element.containsError || collection.containsError { return .error }
        let lifted = element.isOptional || collection.isOptional
        let result: RuleType?
        switch (element.unwrapped, collection.unwrapped) {
        case (.code, .valueSet), (.list(.code), .valueSet): result = .bool
        case (.string, .valueSet): result = .bool
        case (.date, .period): result = .bool
        case (let item, .list(let member)):
            result = member == .nothing || comparable(item, member) ? .bool : nil
        default: result = nil
        }
        guard let result else { return nil }
        return lifted ? result.optional : result
    }

    /// The common type of two branches or list elements, or nil when they have none.
    ///
    /// `T` and `T?` join to `T?`; `Int` and `Decimal` to `Decimal`; `[]` joins with any list.
    public static func join(_ a: RuleType, _ b: RuleType) -> RuleType? {
        if a == b { return a }
        if a.containsError || b.containsError { return .error }
        if a == .nothing { return b }
        if b == .nothing { return a }
        switch (a, b) {
        case (.optional(let x), .optional(let y)): return join(x, y)?.optional
        case (.optional(let x), _): return join(x, b)?.optional
        case (_, .optional(let y)): return join(a, y)?.optional
        case (.list(let x), .list(let y)): return join(x, y).map(RuleType.list)
        case (.int, .decimal), (.decimal, .int): return .decimal
        default: return nil
        }
    }

    /// Whether `type` satisfies a builtin signature's constraint on `T`.
    public static func satisfies(_ type: RuleType, _ constraint: TypeConstraint) -> Bool {
        if type.containsError { return true }
        switch constraint {
        case .any: return true
        case .orderable: return type.isOrderable
        case .summable: return type.isSummable
        case .number: return type == .int || type == .decimal
        case .roundable: return type == .decimal || type == .money || type == .int
        }
    }
}
