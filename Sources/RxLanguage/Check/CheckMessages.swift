/// The type checker's messages: one catalogue, stable IDs `check.<name>`.
extension DiagnosticMessage {
    private static func error(_ name: String, _ text: String) -> DiagnosticMessage {
        DiagnosticMessage(id: DiagnosticID(domain: "check", name: name), severity: .error, text: text)
    }

    private static func warning(_ name: String, _ text: String) -> DiagnosticMessage {
        DiagnosticMessage(id: DiagnosticID(domain: "check", name: name), severity: .warning, text: text)
    }

    // MARK: Names

    static func unknownName(_ name: String) -> DiagnosticMessage { error("unknownName", "unknown name '\(name)'") }
    static func unknownFunction(_ name: String) -> DiagnosticMessage { error("unknownFunction", "unknown function '\(name)'") }
    static func unknownField(_ field: String, of type: RuleType) -> DiagnosticMessage {
        error("unknownField", "type '\(type)' has no field '\(field)'")
    }
    static func unknownOutput(_ output: String, of block: String, kind: String) -> DiagnosticMessage {
        error("unknownOutput", "\(kind) '\(block)' has no output '\(output)'")
    }
    static func unknownColumn(_ column: String, valueSet: String) -> DiagnosticMessage {
        error("unknownColumn", "value set '\(valueSet)' has no column '\(column)'")
    }
    static func unknownEnumMember(_ name: String, of kind: EnumKind) -> DiagnosticMessage {
        error("unknownEnumMember", "'\(name)' is not a \(kind.rawValue) value")
    }
    static func duplicateDefinition(_ name: String) -> DiagnosticMessage {
        error("duplicateDefinition", "'\(name)' is defined more than once")
    }
    static func definitionCycle(_ path: [String]) -> DiagnosticMessage {
        error("definitionCycle", "definitions depend on themselves: \(path.joined(separator: " -> "))")
    }
    static func notAValue(_ name: String, kind: String) -> DiagnosticMessage {
        error("notAValue", "\(kind) '\(name)' cannot be used as a value")
    }
    static func outsideClaimRule(_ name: String) -> DiagnosticMessage {
        error("outsideClaimRule", "'\(name)' is only available inside a claim rule")
    }
    static let itOutsideFilter = error("itOutsideFilter", "'it' is only available inside a 'where' condition")

    // MARK: Types

    static func nativeType(_ found: RuleType) -> DiagnosticMessage {
        error("nativeType", "a native function takes and returns 'Bool', 'Int', 'Decimal', 'Date' or 'String', found '\(found)'")
    }
    static func typeMismatch(expected: String, found: RuleType) -> DiagnosticMessage {
        error("typeMismatch", "expected '\(expected)', found '\(found)'")
    }
    static func optionalCondition(_ found: RuleType) -> DiagnosticMessage {
        error("optionalCondition", "a condition must be 'Bool', found '\(found)' which may be missing")
    }
    static func operatorMismatch(_ op: String, _ lhs: RuleType, _ rhs: RuleType) -> DiagnosticMessage {
        error("operatorMismatch", "operator '\(op)' cannot combine '\(lhs)' and '\(rhs)'")
    }
    static func unaryMismatch(_ op: String, _ operand: RuleType) -> DiagnosticMessage {
        error("unaryMismatch", "operator '\(op)' cannot apply to '\(operand)'")
    }
    static func membershipMismatch(_ element: RuleType, _ collection: RuleType) -> DiagnosticMessage {
        error("membershipMismatch", "cannot test whether '\(element)' is in '\(collection)'")
    }
    static func forEachNeedsList(_ found: RuleType) -> DiagnosticMessage {
        error("forEachNeedsList", "'for each' goes through a list, found '\(found)'")
    }
    static let forEachPlacement = error("forEachPlacement", "'for each' must come after the include and exclude clauses and before the values")
    static func rowOutsideRowMeasure(_ subject: String) -> DiagnosticMessage {
        error("rowOutsideRowMeasure", "'row' applies only to '= value' of a measure with 'for each', not to \(subject)")
    }
    static func badRowNumber(_ found: String) -> DiagnosticMessage {
        error("badRowNumber", "a row number is a whole number from 1, found '\(found)'")
    }
    static func filterNeedsList(_ found: RuleType) -> DiagnosticMessage {
        error("filterNeedsList", "'where' filters a list, found '\(found)'")
    }
    static func branchMismatch(_ a: RuleType, _ b: RuleType) -> DiagnosticMessage {
        error("branchMismatch", "the branches have different types '\(a)' and '\(b)'")
    }
    static func listElementMismatch(_ a: RuleType, _ b: RuleType) -> DiagnosticMessage {
        error("listElementMismatch", "list elements have different types '\(a)' and '\(b)'")
    }
    static func untypedEmptyList() -> DiagnosticMessage {
        error("untypedEmptyList", "the type of an empty list is unknown here")
    }
    static func currencyMismatch(found: String, expected: String) -> DiagnosticMessage {
        error("currencyMismatch", "amount in '\(found)' in a pack whose currency is '\(expected)'")
    }
    static func currencyUndeclared(_ found: String) -> DiagnosticMessage {
        error("currencyUndeclared", "amount in '\(found)' but the pack declares no 'currency'")
    }
    static func durationNeedsInt(_ found: RuleType) -> DiagnosticMessage {
        error("durationNeedsInt", "a duration counts whole units, found '\(found)'")
    }
    static func unknownType(_ name: String) -> DiagnosticMessage { error("unknownType", "unknown type '\(name)'") }

    // MARK: Calls

    static func wrongArgumentCount(_ name: String, expected: Int, found: Int) -> DiagnosticMessage {
        error("wrongArgumentCount", "'\(name)' takes \(expected) positional argument\(expected == 1 ? "" : "s"), found \(found)")
    }
    static func unknownArgumentLabel(_ label: String, function: String) -> DiagnosticMessage {
        error("unknownArgumentLabel", "'\(function)' has no argument '\(label)'")
    }
    static func missingArgument(_ label: String, function: String) -> DiagnosticMessage {
        error("missingArgument", "'\(function)' needs the argument '\(label):'")
    }
    static func duplicateArgument(_ label: String) -> DiagnosticMessage {
        error("duplicateArgument", "argument '\(label)' is given more than once")
    }
    static func noMatchingSignature(_ name: String, found: String) -> DiagnosticMessage {
        error("noMatchingSignature", "no form of '\(name)' accepts (\(found))")
    }
    static func notCallable(_ found: String) -> DiagnosticMessage {
        error("notCallable", "only functions and value-set columns can be called, found \(found)")
    }
    static func cmaNumber(_ found: String, function: String = "cma") -> DiagnosticMessage {
        error("cmaNumber", "'\(function)' needs a literal number from 1 to 9, found '\(found)'")
    }
    static let elementPeriodOutsideFilter = error(
        "elementPeriodOutsideFilter", "one-argument 'overlaps' needs a 'where' over records with a period")

    // MARK: Pack header, parameters, value sets

    static let missingPackHeader = error("missingPackHeader", "the pack has no 'pack' header in pack.rules")
    static let duplicatePackHeader = error("duplicatePackHeader", "a pack has one 'pack' header")
    static let packHeaderOutsidePackFile = error("packHeaderOutsidePackFile", "the 'pack' header belongs in pack.rules")
    static func invalidVersion(_ text: String) -> DiagnosticMessage {
        error("invalidVersion", "'\(text)' is not a semantic version like '2025.1.0'")
    }
    static let missingVersion = error("missingVersion", "the pack needs a version: pack \"name\" version \"1.0.0\"")
    static func invalidEngineRange(_ text: String) -> DiagnosticMessage {
        error("invalidEngineRange", "'\(text)' is not a version range like '>= 0.1.0, < 1.0.0'")
    }
    static func engineMismatch(_ range: String, _ engine: SemanticVersion) -> DiagnosticMessage {
        error("engineMismatch", "the pack needs engine '\(range)' but this engine is \(engine)")
    }
    static func duplicateHeaderClause(_ keyword: String) -> DiagnosticMessage {
        error("duplicateHeaderClause", "'\(keyword)' is given more than once")
    }
    static func packNameMismatch(_ name: String, folder: String) -> DiagnosticMessage {
        warning("packNameMismatch", "pack '\(name)' lives in folder '\(folder)'")
    }
    static func invalidParameterType(_ type: String) -> DiagnosticMessage {
        error("invalidParameterType", "a parameter cannot have type '\(type)'")
    }
    static let parameterDefaultNotLiteral = error(
        "parameterDefaultNotLiteral", "a parameter default must be a literal value")
    static func badParameterOverride(_ name: String, text: String, type: RuleType) -> DiagnosticMessage {
        error("badParameterOverride", "'--param \(name)=\(text)' is not a '\(type)': expected \(ParameterValue.expectedForm(of: type))")
    }
    static func unknownParameterOverride(_ name: String) -> DiagnosticMessage {
        error("unknownParameterOverride", "'--param \(name)' names no parameter of the pack")
    }
    static func unknownCodeSystem(_ name: String) -> DiagnosticMessage {
        error("unknownCodeSystem", "unknown code system '\(name)'")
    }
    static func malformedCode(_ code: String, system: CodeSystem) -> DiagnosticMessage {
        let shape = system == .ndc ? ": an NDC has 11 digits or a dashed 10-digit form" : ""
        return error("malformedCode", "'\(code)' is not a valid \(system.rawValue) code\(shape)")
    }
    static let emptyCode = error("emptyCode", "a value set code is empty")
    static func duplicateCode(_ code: String) -> DiagnosticMessage {
        warning("duplicateCode", "code '\(code)' is listed more than once")
    }
    static func missingValueSetFile(_ path: String) -> DiagnosticMessage {
        error("missingValueSetFile", "value set file '\(path)' does not exist in the pack")
    }
    static func missingValueSetColumn(_ column: String, path: String) -> DiagnosticMessage {
        error("missingValueSetColumn", "value set file '\(path)' has no column '\(column)'")
    }
    static func unknownValueSetSystem(_ text: String) -> DiagnosticMessage {
        error("unknownValueSetSystem", "unknown code system '\(text)' in the 'system' column")
    }
    static func notAValueSet(_ name: String) -> DiagnosticMessage {
        error("notAValueSet", "'\(name)' is not a value set")
    }

    // MARK: Blocks

    static func unknownRejectCode(_ code: String, list: String) -> DiagnosticMessage {
        error("unknownRejectCode", "reject code '\(code)' is not in the code list '\(list)'")
    }
    static func rejectCodeNeverEmitted(_ code: String, rule: String) -> DiagnosticMessage {
        error("rejectCodeNeverEmitted", "claim rule '\(rule)' never rejects with code '\(code)'")
    }
    static func duplicateClause(_ keyword: String) -> DiagnosticMessage {
        error("duplicateClause", "'\(keyword)' is given more than once in this block")
    }
    static func missingClause(_ keyword: String, block: String) -> DiagnosticMessage {
        error("missingClause", "a \(block) needs a '\(keyword)' clause")
    }
    static let nextFillWithoutReject = error("nextFillWithoutReject", "'next fill' must follow a 'reject' clause")
    static func unknownExpectSubject(_ name: String) -> DiagnosticMessage {
        error("unknownExpectSubject", "'\(name)' is not an output of the pack")
    }
    static func expectationKind(_ expectation: String, subject: String) -> DiagnosticMessage {
        error("expectationKind", "'\(expectation)' does not apply to \(subject)")
    }
    static func unknownExcludeReason(_ reason: String, measure: String) -> DiagnosticMessage {
        error("unknownExcludeReason", "measure '\(measure)' has no exclusion '\(reason)'")
    }
    static func unknownTestAttribute(_ name: String, record: String) -> DiagnosticMessage {
        error("unknownTestAttribute", "a test '\(record)' has no attribute '\(name)'")
    }
    static func missingTestAttribute(_ name: String, record: String) -> DiagnosticMessage {
        error("missingTestAttribute", "a test '\(record)' needs '\(name)'")
    }
    static func duplicateTest(_ name: String) -> DiagnosticMessage {
        error("duplicateTest", "test '\(name)' is defined more than once")
    }
    static let onDateOutsideClaimRule = error("onDateOutsideClaimRule", "'on date' applies only to a claim rule")

    // MARK: Warnings

    static func unusedDefine(_ name: String) -> DiagnosticMessage { warning("unusedDefine", "define '\(name)' is never used") }
    static func unusedValueSet(_ name: String) -> DiagnosticMessage { warning("unusedValueSet", "value set '\(name)' is never used") }
    static func unusedParameter(_ name: String) -> DiagnosticMessage { warning("unusedParameter", "parameter '\(name)' is never used") }
    static func shadowing(_ name: String, by what: String) -> DiagnosticMessage {
        warning("shadowing", "\(what) '\(name)' hides the pack-level '\(name)'")
    }
    static func neverMissing(_ type: RuleType) -> DiagnosticMessage {
        warning("neverMissing", "a value of type '\(type)' is never missing")
    }
}
