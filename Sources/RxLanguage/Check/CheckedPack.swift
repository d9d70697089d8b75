import RxValues

/// What a name in an expression resolved to: the side table the evaluator lowers from.
public enum Resolution: Sendable, Hashable {
    case parameter(String)
    case valueSet(String)
    case define(String)
    /// A measure's or contract's output read through `name.output`.
    case output(block: String, name: String)
    /// `fills`, `medical`, `observations`, `enrollment` or `member`.
    case root(String)
    /// A field of the element of the innermost enclosing `where` that has it.
    case elementField(String)
    /// `it`, the element of the innermost `where`.
    case element
    /// A `let` of a contract or claim rule, a `gate`, `event` or `window` of a contract, or an
    /// earlier `value` of a measure.
    case local(block: String, name: String)
    /// `this` or `history` of a claim rule.
    case claimContext(String)
    case enumMember(EnumKind, String)
    /// A value-set column read as a function; `valueSet` is nil when any value set declaring the column serves.
    case column(valueSet: String?, column: String)
    /// A native function declared with `native` and implemented in the pack's module.
    case native(String)
    /// A library function, with the index of the overload chosen in its catalogue entry.
    case builtin(String, signature: Int)
}

/// A parameter after checking: its type, its default, and the override in force.
public struct CheckedParameter: Sendable, Equatable {
    /// The parameter's name.
    public var name: String
    /// Its declared type.
    public var type: RuleType
    /// The value used: the `--param` override if one was given, else the declared default.
    public var value: ParameterValue?
    /// Whether `--param` (or a test's `param`) set the value.
    public var isOverridden: Bool
}

/// A value set after loading: normalised codes, prefixes and extra columns.
public struct CheckedValueSet: Sendable, Hashable {
    /// The value set's name.
    public var name: String
    /// The code system of an inline list, or of a file's `system` column when it has one value.
    public var system: CodeSystem?
    /// Exact codes, normalised (11-digit NDC, ICD without dots).
    public var codes: Set<String>
    /// Prefixes from codes written with a trailing `*`, without the `*`.
    public var prefixes: [String]
    /// Extra columns: column name → code → values, in file order. A code has several values when
    /// the file lists it on several rows (a combination product under each of its ingredients);
    /// a lookup like `ingredient(ndc)` gives the first, a same-drug key considers all.
    public var columns: [String: [String: [String]]]
    /// `version "..."`, if given.
    public var version: String?
}

/// The typed result of checking a pack, for the evaluator to lower.
///
/// Expressions are identified by their source range (file, start, end): no two different
/// expression nodes of one tree share a range, since every composite node is wider than its parts
/// (a parenthesised expression includes its parentheses).
public struct CheckedPack: Sendable {
    /// The name from the `pack` header (the folder name when there is none).
    public var name: String
    /// The pack's version, when valid.
    public var version: SemanticVersion?
    /// The pack's currency, when declared.
    public var currency: String?
    /// The engine versions the pack accepts, when declared.
    public var engineRange: VersionRange?
    /// SHA-256 over every file of the pack folder (see `PackFolder.contentHash`).
    public var contentHash: String
    /// Parameters by name.
    public var parameters: [String: CheckedParameter] = [:]
    /// Value sets by name.
    public var valueSets: [String: CheckedValueSet] = [:]
    /// The type of every `define`.
    public var defineTypes: [String: RuleType] = [:]
    /// Measure and contract outputs: block name → output name → type.
    public var outputs: [String: [String: RuleType]] = [:]
    /// Measures with `for each` (one row per element): measure name → the row name.
    public var rowMeasures: [String: String] = [:]
    /// The reject codes each claim rule may emit.
    public var rejectCodes: [String: [String]] = [:]
    /// The type of every checked expression, by range.
    public var expressionTypes: [SourceRange: RuleType] = [:]
    /// What every name and call resolved to, by the range of the name (or call) expression.
    public var resolutions: [SourceRange: Resolution] = [:]
    /// Native functions declared by the pack, by name.
    public var nativeFunctions: [String: NativeSignature] = [:]
    /// Defines in an order where each comes after everything it uses (cycles left out).
    public var evaluationOrder: [String] = []
}

/// The declared signature of a native function; the host matches it against the pack module's table.
public struct NativeSignature: Sendable, Hashable {
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var type: RuleType
    }

    /// The types that cross the C boundary.
    public static let allowedTypes: Set<RuleType> = [.bool, .int, .decimal, .date, .string]

    public var name: String
    public var parameters: [Parameter]
    public var result: RuleType
    public var documentation: String
}

/// A value passed to or returned by a native function.
public enum NativeValue: Sendable, Hashable {
    case bool(Bool)
    case int(Int64)
    case decimal(ExactDecimal)
    case date(Day)
    case string(String)
}

/// A native function as the evaluator calls it: nil when the function reports a failure.
public typealias NativeImplementation = @Sendable ([NativeValue]) -> NativeValue?
