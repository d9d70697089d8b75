/// A parameter or result type in a builtin signature, possibly mentioning the type variable `T`.
public indirect enum TypePattern: Sendable, Hashable, CustomStringConvertible {
    /// Exactly this type (an `Int` argument also fits `Decimal`).
    case exact(RuleType)
    /// The signature's type variable; the first argument that mentions it binds it.
    case variable
    case list(TypePattern)
    case optional(TypePattern)

    public var description: String {
        switch self {
        case .exact(let type): type.description
        case .variable: "T"
        case .list(let element): "List<\(element)>"
        case .optional(let wrapped): "\(wrapped)?"
        }
    }
}

/// What the type variable `T` of a signature may be bound to.
public enum TypeConstraint: String, Sendable, Hashable {
    /// Any type.
    case any
    /// A type with an order: numbers, money, dates, days, strings, codes.
    case orderable
    /// A type with `+`: Int, Decimal, Money, Days.
    case summable
    /// Int or Decimal (Money keeps its own rounding functions through `round`).
    case number
    /// Decimal or Money, the types `round` applies to.
    case roundable
}

/// One parameter of a builtin function.
public struct BuiltinParameter: Sendable, Hashable {
    /// The label for a named parameter; a descriptive name for a positional one.
    public let name: String
    /// The type the argument must have.
    public let type: TypePattern
    /// Named parameters are written `name: value`; positional ones come first, in order.
    public let isNamed: Bool
    /// The value used when the argument is left out, as source text; nil when required.
    public let defaultValue: String?

    public init(_ name: String, _ type: TypePattern, named: Bool = false, default defaultValue: String? = nil) {
        self.name = name
        self.type = type
        self.isNamed = named
        self.defaultValue = defaultValue
    }

    /// Whether a call must give this argument.
    public var isRequired: Bool { defaultValue == nil }
}

/// One overload of a builtin function.
public struct BuiltinSignature: Sendable, Hashable {
    /// Positional parameters first, then named ones.
    public let parameters: [BuiltinParameter]
    /// The result type; optional when an argument that must be present may be missing.
    public let result: TypePattern
    /// What `T` may be.
    public let constraint: TypeConstraint
    /// When true the first positional argument may be left out inside a `where` over records:
    /// the element's `period` is used (`medical where overlaps(measurement_period)`).
    public let elementPeriodImplicit: Bool
    /// When true the member record is an implicit input (`enrolled(continuously:)` reads enrollment).
    public let readsMember: Bool

    public init(
        _ parameters: [BuiltinParameter], _ result: TypePattern, where constraint: TypeConstraint = .any,
        elementPeriodImplicit: Bool = false, readsMember: Bool = false
    ) {
        self.parameters = parameters
        self.result = result
        self.constraint = constraint
        self.elementPeriodImplicit = elementPeriodImplicit
        self.readsMember = readsMember
    }

    /// `name(p: T, named: T = default) -> R`, for messages and docs.
    public func rendered(name: String) -> String {
        let parts = parameters.map { parameter -> String in
            var text = parameter.isNamed ? "\(parameter.name): \(parameter.type)" : "\(parameter.type)"
            if let value = parameter.defaultValue { text += " = \(value)" }
            return text
        }
        return "\(name)(\(parts.joined(separator: ", "))) -> \(result)"
    }
}

/// A library function of the rules language: the contract between the checker and the evaluator.
///
/// The evaluator implements each entry by `name`; arguments reach it in signature order with
/// defaults filled in by the lowering step.
public struct BuiltinFunction: Sendable, Hashable {
    /// The name calls use.
    public let name: String
    /// The overloads, tried in order.
    public let signatures: [BuiltinSignature]
    /// One line for the reference and for did-you-mean notes.
    public let summary: String

    public init(_ name: String, _ summary: String, _ signatures: [BuiltinSignature]) {
        self.name = name
        self.summary = summary
        self.signatures = signatures
    }
}

private typealias P = BuiltinParameter
private typealias S = BuiltinSignature

private let fillList = TypePattern.exact(.list(.record(.fill)))
private let periodType = TypePattern.exact(.period)
private let timeline = TypePattern.exact(.timeline)
private let days = TypePattern.exact(.days)
private let decimal = TypePattern.exact(.decimal)
private let supplyOptions: [BuiltinParameter] = [
    P("overlap", .exact(.enumeration(.overlap)), named: true, default: "shift_same_drug"),
    P("drug", .exact(.enumeration(.drugKey)), named: true, default: "ndc"),
    P("carry_in", .exact(.bool), named: true, default: "false"),
    P("stays", .exact(.list(.record(.medicalClaim))), named: true, default: "[]"),
    P("dose", .exact(.enumeration(.dose)), named: true, default: "none"),
]

/// AdhereR's carry-over flags and what "same medication" means, shared by the CMA functions.
private let cmaFlags: [BuiltinParameter] = [
    P("carry_only_same_drug", .exact(.bool), named: true, default: "false"),
    P("dose_change", .exact(.bool), named: true, default: "false"),
    P("drug", .exact(.enumeration(.drugKey)), named: true, default: "ndc"),
    // Data in AdhereR's own layout carries the daily dose itself (PERDAY), mapped to quantity.
    P("quantity_is_daily_dose", .exact(.bool), named: true, default: "false"),
]

/// Every builtin function, in documentation order.
public enum BuiltinCatalogue {
    /// The catalogue itself.
    public static let functions: [BuiltinFunction] = [
        BuiltinFunction("first", "the earliest element (lists of records are in date order), missing when empty", [
            S([P("list", .list(.variable))], .optional(.variable)),
        ]),
        BuiltinFunction("last", "the latest element, missing when empty", [
            S([P("list", .list(.variable))], .optional(.variable)),
        ]),
        BuiltinFunction("count", "the number of elements", [
            S([P("list", .list(.variable))], .exact(.int)),
        ]),
        BuiltinFunction("count_distinct", "the number of different elements", [
            S([P("list", .list(.variable))], .exact(.int)),
        ]),
        BuiltinFunction("any", "true when the list has at least one element", [
            S([P("list", .list(.variable))], .exact(.bool)),
        ]),
        BuiltinFunction("all", "true when every element of a list of conditions is true (also when empty)", [
            S([P("conditions", .exact(.list(.bool)))], .exact(.bool)),
        ]),
        BuiltinFunction("sum", "the total of a list of numbers, money or day counts (0 when empty; missing when an element is)", [
            S([P("list", .list(.variable))], .variable, where: .summable),
            S([P("list", .list(.optional(.variable)))], .optional(.variable), where: .summable),
        ]),
        BuiltinFunction("min", "the smaller of two values, or the smallest element of a list", [
            S([P("a", .variable), P("b", .variable)], .variable, where: .orderable),
            S([P("list", .list(.variable))], .optional(.variable), where: .orderable),
        ]),
        BuiltinFunction("max", "the larger of two values, or the largest element of a list", [
            S([P("a", .variable), P("b", .variable)], .variable, where: .orderable),
            S([P("list", .list(.variable))], .optional(.variable), where: .orderable),
        ]),
        BuiltinFunction("nth", "the element at a position counted from 1 (in date order for records), missing past the end", [
            S([P("list", .list(.variable)), P("position", .exact(.int))], .optional(.variable)),
        ]),
        BuiltinFunction("distinct", "the list without repeats, each element where it first occurs", [
            S([P("list", .list(.variable))], .list(.variable)),
        ]),
        BuiltinFunction("running_sum", "the running totals of a list of numbers, money or day counts", [
            S([P("list", .list(.variable))], .list(.variable), where: .summable),
        ]),
        BuiltinFunction("abs", "the absolute value", [
            S([P("x", .variable)], .variable, where: .summable),
        ]),
        BuiltinFunction("days", "the number of days in a period, both ends included", [
            S([P("period", periodType)], days),
        ]),
        BuiltinFunction("age", "a person's age in whole years on a date", [
            S([P("member", .exact(.record(.member))), P("at", .exact(.date), named: true)], .exact(.int)),
        ]),
        BuiltinFunction("enrolled", "true when the member's coverage spans the period, gaps up to allowed_gap days bridged", [
            S([P("continuously", periodType, named: true), P("allowed_gap", days, named: true, default: "0 days")],
              .exact(.bool), readsMember: true),
        ]),
        BuiltinFunction("overlaps", "true when two periods share a day; inside a `where`, the element's period is the first", [
            S([P("a", periodType), P("b", periodType)], .exact(.bool)),
            S([P("period", periodType)], .exact(.bool), elementPeriodImplicit: true),
        ]),
        BuiltinFunction("supply", "the days with drug on hand built from fills (see the supply options)", [
            S([P("fills", fillList)] + supplyOptions, timeline),
        ]),
        BuiltinFunction("covered_days", "days with drug on hand within a period, stay days left out", [
            S([P("timeline", timeline), P("within", periodType, named: true)], days),
        ]),
        BuiltinFunction("stay_days", "inpatient or SNF stay days within a period", [
            S([P("timeline", timeline), P("within", periodType, named: true)], days),
        ]),
        BuiltinFunction("gaps", "runs of days without drug within a period, longer than a number of days", [
            S([P("timeline", timeline), P("within", periodType, named: true),
               P("longer_than", days, named: true, default: "0 days")], .exact(.list(.period))),
        ]),
        BuiltinFunction("episodes", "treatment episodes: covered runs joined across gaps up to max_gap days", [
            S([P("timeline", timeline), P("max_gap", days, named: true)], .exact(.list(.record(.episode)))),
        ]),
        BuiltinFunction("first_gap", "the first run of days without drug longer than a number of days", [
            S([P("timeline", timeline), P("longer_than", days, named: true)], .exact(.optional(.period))),
        ]),
        BuiltinFunction("last_day", "the last day with drug on hand, missing for an empty timeline", [
            S([P("timeline", timeline)], .exact(.optional(.date))),
        ]),
        BuiltinFunction("pdc", "proportion of days covered within a period (exact fraction)", [
            S([P("timeline", timeline), P("within", periodType, named: true)], decimal),
            S([P("fills", fillList), P("within", periodType, named: true)] + supplyOptions, decimal),
        ]),
        BuiltinFunction("mpr", "medication possession ratio: days supplied over days in the period", [
            S([P("fills", fillList), P("within", periodType, named: true),
               P("variant", .exact(.enumeration(.mprVariant)), named: true, default: "period"),
               P("capped", .exact(.bool), named: true, default: "false")], decimal),
        ]),
        BuiltinFunction("dot", "days on therapy: dispensed days, covered days, or duration of the first episode (gaps up to max_gap)", [
            S([P("fills", fillList), P("within", periodType, named: true),
               P("kind", .exact(.enumeration(.dotKind)), named: true, default: "covered"),
               P("max_gap", days, named: true, default: "30 days")] + supplyOptions, days),
        ]),
        BuiltinFunction("persistence_days", "days from the first covered day to the end of the first episode", [
            S([P("timeline", timeline), P("max_gap", days, named: true)], days),
        ]),
        BuiltinFunction("cma", "AdhereR's continuous multiple-interval measure number n (1 to 9)", [
            S([P("n", .exact(.int)), P("fills", fillList), P("observation", periodType, named: true),
               P("follow_up", .exact(.optional(.period)), named: true, default: "observation")] + cmaFlags, decimal),
        ]),
        // The permissible gap in days, or (AdhereR's maximum.permissible.gap.as.percent) as a
        // percentage of the duration of the event before the gap; append_max_gap is AdhereR's
        // maximum.permissible.gap.append.to.episode.
        BuiltinFunction("cma_episodes", "AdhereR's treatment episodes within the follow-up window: a gap over max_gap (or a medication change) starts a new one", [
            S([P("fills", fillList), P("follow_up", periodType, named: true),
               P("max_gap", days, named: true),
               P("medication_change", .exact(.bool), named: true, default: "true"),
               P("append_max_gap", .exact(.bool), named: true, default: "false")] + cmaFlags, .exact(.list(.record(.treatmentEpisode)))),
            S([P("fills", fillList), P("follow_up", periodType, named: true),
               P("max_gap_percent", decimal, named: true),
               P("medication_change", .exact(.bool), named: true, default: "true"),
               P("append_max_gap", .exact(.bool), named: true, default: "false")] + cmaFlags, .exact(.list(.record(.treatmentEpisode)))),
        ]),
        BuiltinFunction("cma_per_episode", "AdhereR's CMA number n within each treatment episode's part of the observation window", [
            S([P("n", .exact(.int)), P("fills", fillList), P("observation", periodType, named: true),
               P("follow_up", .exact(.optional(.period)), named: true, default: "observation"),
               P("max_gap", days, named: true),
               P("medication_change", .exact(.bool), named: true, default: "true"),
               P("append_max_gap", .exact(.bool), named: true, default: "false")] + cmaFlags,
              .exact(.list(.record(.cmaWindow)))),
            S([P("n", .exact(.int)), P("fills", fillList), P("observation", periodType, named: true),
               P("follow_up", .exact(.optional(.period)), named: true, default: "observation"),
               P("max_gap_percent", decimal, named: true),
               P("medication_change", .exact(.bool), named: true, default: "true"),
               P("append_max_gap", .exact(.bool), named: true, default: "false")] + cmaFlags,
              .exact(.list(.record(.cmaWindow)))),
        ]),
        BuiltinFunction("cma_sliding_windows", "AdhereR's CMA number n in windows of length days every step days, those fully inside the observation window", [
            S([P("n", .exact(.int)), P("fills", fillList), P("observation", periodType, named: true),
               P("follow_up", .exact(.optional(.period)), named: true, default: "observation"),
               P("offset", days, named: true, default: "0 days"),
               P("length", days, named: true), P("step", days, named: true)] + cmaFlags,
              .exact(.list(.record(.cmaWindow)))),
        ]),
        BuiltinFunction("round", "rounds to a number of fraction digits with a rounding rule", [
            S([P("x", .variable), P("digits", .exact(.int), default: "0"),
               P("rule", .exact(.enumeration(.rounding)), named: true, default: "half_even")],
              .variable, where: .roundable),
        ]),
        BuiltinFunction("ceil", "the smallest whole number not below x", [
            S([P("x", decimal)], .exact(.int)),
        ]),
        BuiltinFunction("floor", "the largest whole number not above x", [
            S([P("x", decimal)], .exact(.int)),
        ]),
    ]

    /// The reference table of docs/language.md: one row per signature, derived from this catalogue.
    public static func referenceTable() -> String {
        var lines = ["| function | form | what it gives |", "|---|---|---|"]
        for function in functions {
            for signature in function.signatures {
                var form = signature.rendered(name: function.name)
                if signature.elementPeriodImplicit { form += " (inside `where`)" }
                lines.append("| `\(function.name)` | `\(form)` | \(function.summary) |")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The entry named `name`, if any.
    public static func function(named name: String) -> BuiltinFunction? {
        index[name]
    }

    private static let index: [String: BuiltinFunction] = Dictionary(
        functions.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
}
