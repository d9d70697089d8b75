/// The static type of a rule-language expression.
///
/// `error` is the type of an expression that already produced a diagnostic; every rule accepts it
/// silently so that one mistake is reported once, not once per enclosing expression.
public indirect enum RuleType: Hashable, Sendable, CustomStringConvertible {
    case bool, int, decimal, money, date, days, months, period, string, code, valueSet, timeline
    /// One of the input record kinds (or a record a library function returns, like an episode).
    case record(RecordKind)
    /// A closed set of bare names, e.g. `inpatient` of `Setting`.
    case enumeration(EnumKind)
    case list(RuleType)
    case optional(RuleType)
    /// The element type of `[]`: fits any list.
    case nothing
    /// Already diagnosed; compatible with everything.
    case error

    /// The surface name, as written in `parameter x: T` and in messages.
    public var description: String {
        switch self {
        case .bool: "Bool"
        case .int: "Int"
        case .decimal: "Decimal"
        case .money: "Money"
        case .date: "Date"
        case .days: "Days"
        case .months: "Months"
        case .period: "Period"
        case .string: "String"
        case .code: "Code"
        case .valueSet: "ValueSet"
        case .timeline: "Timeline"
        case .record(let kind): kind.rawValue
        case .enumeration(let kind): kind.rawValue
        case .list(let element): "List<\(element)>"
        case .optional(let wrapped): "\(wrapped)?"
        case .nothing: "Nothing"
        case .error: "<error>"
        }
    }

    /// The type without one level of optionality.
    public var unwrapped: RuleType {
        if case .optional(let wrapped) = self { return wrapped }
        return self
    }

    /// Whether a value may be missing.
    public var isOptional: Bool {
        if case .optional = self { return true }
        return false
    }

    /// Makes the type optional (never doubly so).
    public var optional: RuleType {
        switch self {
        case .optional, .error: self
        default: .optional(self)
        }
    }

    /// The element type when this is a list.
    public var listElement: RuleType? {
        if case .list(let element) = self { return element }
        return nil
    }

    /// Whether the type contains `error` anywhere (then no further message is useful).
    public var containsError: Bool {
        switch self {
        case .error: true
        case .list(let inner), .optional(let inner): inner.containsError
        default: false
        }
    }

    /// Whether `<`, `min`, `max` apply.
    public var isOrderable: Bool {
        switch self {
        case .int, .decimal, .money, .date, .days, .string, .code: true
        default: false
        }
    }

    /// Whether `sum` and `+` between two values of this type apply.
    public var isSummable: Bool {
        switch self {
        case .int, .decimal, .money, .days: true
        default: false
        }
    }

    /// Whether a value of type `other` may be used where `self` is expected.
    ///
    /// Rules: `error` fits anything; `T` fits `T?`; `List<Nothing>` fits any list;
    /// `Int` fits `Decimal` (exact widening). Nothing else converts implicitly.
    public func accepts(_ other: RuleType) -> Bool {
        if self == other || other.containsError || self.containsError { return true }
        switch (self, other) {
        case (.optional(let wrapped), .optional(let inner)): return wrapped.accepts(inner)
        case (.optional(let wrapped), _): return wrapped.accepts(other)
        case (.list(let element), .list(let inner)): return inner == .nothing || element.accepts(inner)
        case (.decimal, .int): return true
        default: return false
        }
    }

    /// The declared scalar types a `parameter` may have, by surface name.
    public static let parameterTypes: [String: RuleType] = [
        "Bool": .bool, "Int": .int, "Decimal": .decimal, "Money": .money, "Date": .date,
        "Days": .days, "Months": .months, "Period": .period, "String": .string, "Code": .code,
    ]
}

/// The records a pack reads, plus the records library functions return.
public enum RecordKind: String, Sendable, Hashable, CaseIterable {
    case member = "Member"
    case enrollment = "Enrollment"
    case fill = "Fill"
    case medicalClaim = "MedicalClaim"
    case observation = "Observation"
    /// A treatment episode from `episodes(t, max_gap:)`.
    case episode = "Episode"
    /// An AdhereR treatment episode from `cma_episodes(...)`.
    case treatmentEpisode = "TreatmentEpisode"
    /// An AdhereR CMA over one window: a treatment episode's part of the observation window, or a sliding window.
    case cmaWindow = "CmaWindow"
}

/// Enumerations whose members are written as bare names where the type is known from context.
public enum EnumKind: String, Sendable, Hashable, CaseIterable {
    case setting = "Setting"
    case sex = "Sex"
    case status = "Status"
    case overlap = "Overlap"
    case dose = "Dose"
    case decision = "Decision"
    case mprVariant = "MprVariant"
    case dotKind = "DotKind"
    case rounding = "Rounding"
    /// What "same drug" means for `supply(..., drug:)`: `ndc` or a value-set column name.
    case drugKey = "DrugKey"

    /// The fixed members, in documentation order (`drugKey` also accepts value-set columns).
    public var members: [String] {
        switch self {
        case .setting: ["inpatient", "snf", "hospice", "outpatient", "er", "professional"]
        case .sex: ["F", "M", "U"]
        case .status: ["paid", "reversed"]
        case .overlap: ["shift_all", "shift_same_drug", "union"]
        case .dose: ["none", "quantity_per_day"]
        case .decision: ["pay", "reject"]
        case .mprVariant: ["period", "period_truncated", "refill_interval"]
        case .dotKind: ["dispensed", "covered", "duration"]
        case .rounding: ["half_even", "half_up", "down", "up", "floor", "ceiling"]
        case .drugKey: ["ndc"]
        }
    }
}
