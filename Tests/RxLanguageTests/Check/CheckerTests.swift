import Foundation
import Testing

@testable import RxLanguage

/// Checks a pack given as text (one pack.rules), for focused tests.
func checkText(_ text: String, overrides: [ParameterOverride] = []) -> PackCheckResult {
    PackChecker.check(sources: [SourceFile(id: SourceFileID(0), path: "pack.rules", text: text)], overrides: overrides)
}

let header = """
    pack "t" version "1.0.0"
      currency USD

    parameter measurement_period: Period = 2025-01-01 .. 2025-12-31

    """

@Suite("Checker: sample packs")
struct SamplePackTests {
    static let packsFolder = GoldenFiles.sourceDirectory("packs")

    static func check(_ name: String) throws -> PackCheckResult {
        PackChecker.check(folder: try PackFolder.load(path: packsFolder.appendingPathComponent(name).path))
    }

    @Test("every sample pack checks clean", arguments: ["adherence-sample", "contract-sample", "edits-sample"])
    func clean(name: String) throws {
        let result = try Self.check(name)
        #expect(result.diagnostics.isEmpty, "\(DiagnosticRenderer().render(result.diagnostics, files: result.sources))")
    }

    @Test("define and output types of the adherence sample")
    func adherenceTypes() throws {
        let pack = try Self.check("adherence-sample").pack
        #expect(pack.defineTypes["statin_fills"] == .list(.record(.fill)))
        #expect(pack.defineTypes["ipsd"] == .optional(.date))
        #expect(pack.defineTypes["treatment"] == .optional(.period))
        #expect(pack.defineTypes["stays"] == .list(.record(.medicalClaim)))
        #expect(pack.defineTypes["on_hand"] == .timeline)
        #expect(pack.defineTypes["treatment_days"] == .optional(.days))
        #expect(pack.defineTypes["last_a1c"] == .optional(.decimal))
        let outputs = try #require(pack.outputs["pdc_sta"])
        #expect(outputs["pdc"] == .optional(.decimal))
        #expect(outputs["adherent"] == .bool)
        #expect(outputs["covered"] == .optional(.days))
        #expect(outputs["episode_count"] == .int)
        #expect(outputs["first_long_gap"] == .optional(.period))
        #expect(outputs["cma7"] == .decimal)
        #expect(outputs["included"] == .bool)
        // Dependencies come before their users.
        let order = pack.evaluationOrder
        let index = { (name: String) in order.firstIndex(of: name) ?? -1 }
        #expect(index("statin_fills") < index("ipsd") && index("ipsd") < index("treatment"))
        #expect(index("on_hand") < index("treatment_days"))
    }

    @Test("value sets load with normalised codes and columns")
    func valueSets() throws {
        let pack = try Self.check("adherence-sample").pack
        let statins = try #require(pack.valueSets["statins"])
        #expect(statins.system == .ndc)
        #expect(statins.codes == ["00000000101", "00000000102", "00000000201"])
        #expect(statins.columns["ingredient"]?["00000000201"] == ["rosuvastatin"])
        #expect(pack.valueSets["esrd"]?.codes == ["N186", "Z992"])
        #expect(pack.parameters["threshold"]?.value == .decimal(try #require(.init("0.80"))))
        #expect(pack.contentHash.count == 64)
    }

    @Test("contract outputs and claim rule reject codes")
    func blocks() throws {
        let contract = try Self.check("contract-sample").pack
        #expect(contract.outputs["cv_refund"]?["payout"] == .optional(.money))
        #expect(contract.outputs["cv_refund"]?["cv"] == .optional(.record(.medicalClaim)))
        #expect(contract.outputs["cv_refund"]?["adherent_first_180"] == .bool)
        #expect(contract.outputs["cv_refund"]?["first_half"] == nil)
        let edits = try Self.check("edits-sample").pack
        #expect(edits.rejectCodes["refill_too_soon"] == ["79"])
        #expect(edits.rejectCodes["quantity_limit"] == ["76"])
        #expect(edits.valueSets["reject_codes"]?.version == "D.0")
    }

    @Test("--param overrides replace the default")
    func overrides() throws {
        let folder = try PackFolder.load(path: Self.packsFolder.appendingPathComponent("adherence-sample").path)
        let result = PackChecker.check(folder: folder, overrides: [
            ParameterOverride(name: "threshold", text: "0.75"), ParameterOverride(name: "minimum_treatment_days", text: "60 days"),
        ])
        #expect(result.diagnostics.isEmpty)
        #expect(result.pack.parameters["threshold"]?.value == .decimal(try #require(.init("0.75"))))
        #expect(result.pack.parameters["minimum_treatment_days"]?.value == .days(60))
        #expect(result.pack.parameters["threshold"]?.isOverridden == true)
    }
}

@Suite("Checker: typing rules")
struct TypingTests {
    /// The type of `define probe = <expression>` in a small pack.
    func type(of expression: String, extra: String = "") -> (RuleType?, [String]) {
        let result = checkText(header + extra + "define probe = \(expression)\nmeasure m \"M\"\n  value p = probe\n")
        return (result.pack.defineTypes["probe"], result.diagnostics.filter { $0.severity == .error }.map(\.id.name))
    }

    @Test("expression types", arguments: [
        ("30 days + 2 days", RuleType.days),
        ("2025-01-01 + 30 days", .date),
        ("2025-03-01 - 2025-01-01", .days),
        ("2025-01-01 + 6 months", .date),
        ("1 / 3", .decimal),
        ("10.00 USD * 2", .money),
        ("10.00 USD / 10.00 USD", .decimal),
        ("first(fills).days_supply", .optional(.int)),
        ("fills.ndc", .list(.code)),
        ("(first(fills).fill_date ?? 2025-01-01) .. 2025-12-31", .period),
        ("first(fills).fill_date .. 2025-12-31", .optional(.period)),
        ("measurement_period.end", .date),
        ("count(fills where days_supply >= 30)", .int),
        ("sum(fills.paid_amount)", .money),
        ("sum(fills.patient_pay)", .optional(.money)),
        ("nth(fills, 2)", .optional(.record(.fill))),
        ("distinct(fills.fill_date)", .list(.date)),
        ("running_sum(fills.paid_amount)", .list(.money)),
        ("max(fills.fill_date)", .optional(.date)),
        ("min(2025-01-01, 2025-02-01)", .date),
        ("if true then [] else fills", .list(.record(.fill))),
        ("days(measurement_period) >= 91", .bool),
        ("first(fills).fill_date > 2025-01-01", .optional(.bool)),
        ("first(fills) exists", .bool),
        ("medical where setting in [inpatient, snf]", .list(.record(.medicalClaim))),
        ("episodes(supply(fills), max_gap: 30 days).days", .list(.days)),
        ("round(1 / 3, 2, rule: half_up)", .decimal),
        ("ceil(2.5) days", .days),
        ("any(enrollment where overlaps(measurement_period))", .bool),
    ])
    func types(expression: String, expected: RuleType) {
        let (found, errors) = type(of: expression)
        #expect(errors.isEmpty, "\(expression): \(errors)")
        #expect(found == expected, "\(expression)")
    }

    @Test("rejected expressions", arguments: [
        ("10.00 USD + 1.50", "operatorMismatch"),
        ("2025-01-01 + 30", "operatorMismatch"),
        ("fills where first(fills).fill_date > fill_date", "optionalCondition"),
        ("not 3", "typeMismatch"),
        ("sum(fills.ndc)", "typeMismatch"),
        ("running_sum(fills.fill_date)", "typeMismatch"),
        ("count(member)", "typeMismatch"),
        ("member.sex = X", "unknownEnumMember"),
        ("covered_days(supply(fills), within: measurement_period, longer_than: 3 days)", "unknownArgumentLabel"),
        ("1.5 days", "durationNeedsInt"),
        ("measurement_period.middle", "unknownField"),
        ("history", "outsideClaimRule"),
    ])
    func rejected(expression: String, id: String) {
        let (_, errors) = type(of: expression)
        #expect(errors.contains(id), "\(expression): \(errors)")
    }

    @Test("integer literals adapt to Days; Int parameters do not")
    func literalAdaptation() {
        #expect(type(of: "days(measurement_period) - 1").1.isEmpty)
        #expect(type(of: "days(measurement_period) > n", extra: "parameter n: Int = 3\n").1 == ["operatorMismatch"])
    }

    @Test("resolutions record what names mean")
    func resolutions() throws {
        let text = header + """
            valueset statins = ndc ["00000000101"]
            define probe = count(fills where ndc in statins)
            measure m "M"
              value p = probe

            """
        let result = checkText(text)
        #expect(!result.hasErrors)
        let resolved = Set(result.pack.resolutions.values)
        #expect(resolved.contains(.root("fills")))
        #expect(resolved.contains(.elementField("ndc")))
        #expect(resolved.contains(.valueSet("statins")))
        #expect(resolved.contains(.define("probe")))
        #expect(resolved.contains(.builtin("count", signature: 0)))
    }

    @Test("every error is collected in one pass")
    func collectsAll() {
        let text = header + """
            define a = unknown_one
            define b = 2025-01-01 + 3
            define c = count(fills where days_suply > 3)
            measure m "M"
              value a = a
              value b = b
              value c = c

            """
        let ids = checkText(text).diagnostics.filter { $0.severity == .error }.map(\.id.name)
        #expect(ids == ["unknownName", "operatorMismatch", "unknownName"])
    }

    @Test("long chains of defines check without deep recursion and in any order")
    func longChain() {
        var text = header
        for index in (1..<3_000).reversed() { text += "define d\(index) = d\(index - 1) + 1\n" }
        text += "define d0 = 1\nmeasure m \"M\"\n  value v = d2999\n"
        let result = checkText(text)
        #expect(!result.hasErrors)
        #expect(result.pack.defineTypes["d2999"] == .int)
        #expect(result.pack.evaluationOrder.first == "d0")
    }
}

@Suite("Builtin catalogue")
struct CatalogueTests {
    @Test("names are unique and every language.md function is present")
    func names() {
        let names = BuiltinCatalogue.functions.map(\.name)
        #expect(Set(names).count == names.count)
        for name in ["first", "last", "count", "count_distinct", "any", "all", "sum", "min", "max", "days", "age",
                     "enrolled", "overlaps", "supply", "covered_days", "stay_days", "gaps", "episodes", "first_gap",
                     "last_day", "pdc", "mpr", "dot", "persistence_days", "cma", "round", "ceil", "floor"] {
            #expect(BuiltinCatalogue.function(named: name) != nil, "\(name)")
        }
    }

    @Test("positional parameters come first, required before optional, and labels are unique")
    func shapes() {
        for function in BuiltinCatalogue.functions {
            #expect(!function.summary.isEmpty)
            for signature in function.signatures {
                let positional = signature.parameters.prefix { !$0.isNamed }
                #expect(!signature.parameters.dropFirst(positional.count).contains { !$0.isNamed }, "\(function.name)")
                let requiredPrefix = positional.prefix { $0.isRequired }
                #expect(positional.dropFirst(requiredPrefix.count).allSatisfy { !$0.isRequired }, "\(function.name)")
                let labels = signature.parameters.map(\.name)
                #expect(Set(labels).count == labels.count, "\(function.name)")
            }
        }
    }

    @Test("signature rendering")
    func rendering() throws {
        let covered = try #require(BuiltinCatalogue.function(named: "covered_days"))
        #expect(covered.signatures[0].rendered(name: "covered_days") == "covered_days(Timeline, within: Period) -> Days")
        let first = try #require(BuiltinCatalogue.function(named: "first"))
        #expect(first.signatures[0].rendered(name: "first") == "first(List<T>) -> T?")
    }
}

@Suite("Type rules")
struct TypeRuleTests {
    @Test("arithmetic table")
    func arithmetic() {
        #expect(TypeRules.binary(.add, .money, .money) == .money)
        #expect(TypeRules.binary(.add, .money, .decimal) == nil)
        #expect(TypeRules.binary(.multiply, .decimal, .money) == .money)
        #expect(TypeRules.binary(.divide, .money, .int) == .money)
        #expect(TypeRules.binary(.divide, .days, .days) == .decimal)
        #expect(TypeRules.binary(.subtract, .date, .date) == .days)
        #expect(TypeRules.binary(.add, .date, .date) == nil)
        #expect(TypeRules.binary(.subtract, .days, .date) == nil)
        #expect(TypeRules.binary(.add, .optional(.date), .days) == .optional(.date))
        #expect(TypeRules.binary(.less, .int, .decimal) == .bool)
        #expect(TypeRules.binary(.less, .bool, .bool) == nil)
        #expect(TypeRules.binary(.equal, .optional(.code), .string) == .optional(.bool))
        #expect(TypeRules.binary(.range, .date, .optional(.date)) == .optional(.period))
    }

    @Test("membership and joins")
    func membership() {
        #expect(TypeRules.membership(.code, .valueSet) == .bool)
        #expect(TypeRules.membership(.list(.code), .valueSet) == .bool)
        #expect(TypeRules.membership(.optional(.code), .valueSet) == .optional(.bool))
        #expect(TypeRules.membership(.date, .period) == .bool)
        #expect(TypeRules.membership(.int, .list(.decimal)) == .bool)
        #expect(TypeRules.membership(.date, .valueSet) == nil)
        #expect(TypeRules.join(.int, .decimal) == .decimal)
        #expect(TypeRules.join(.date, .optional(.date)) == .optional(.date))
        #expect(TypeRules.join(.list(.nothing), .list(.code)) == .list(.code))
        #expect(TypeRules.join(.string, .int) == nil)
    }
}

@Suite("Semantic versions")
struct VersionTests {
    @Test("parsing and SemVer order")
    func order() throws {
        #expect(SemanticVersion("2025.1.0") == SemanticVersion(2025, 1, 0))
        #expect(SemanticVersion("1.02.0") == nil)
        #expect(SemanticVersion("1.2") == nil)
        let ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                       "1.0.0-rc.1", "1.0.0"].compactMap(SemanticVersion.init)
        #expect(ordered.count == 8)
        #expect(ordered == ordered.sorted())
        for (a, b) in zip(ordered, ordered.dropFirst()) { #expect(a < b) }
    }

    @Test("engine ranges")
    func ranges() throws {
        let range = try #require(VersionRange(">= 0.1.0, < 1.0.0"))
        #expect(range.contains(SemanticVersion(0, 1, 0)))
        #expect(range.contains(SemanticVersion(0, 9, 3)))
        #expect(!range.contains(SemanticVersion(1, 0, 0)))
        #expect(VersionRange("0.1.0")?.contains(SemanticVersion(0, 1, 0)) == true)
        #expect(VersionRange("at least 1") == nil)
        #expect(VersionRange(">= 1.0.0,") == nil)
    }
}

@Suite("Value-set files")
struct ValueSetFileTests {
    @Test("a code on several rows keeps every column value; only a repeated row warns")
    func combinationProducts() throws {
        var folder = try PackFolder.load(path: GoldenFiles.sourceDirectory("semantic").appendingPathComponent("duplicateCode-csv").path)
        folder.path = "p"
        let result = PackChecker.check(folder: folder)
        #expect(result.diagnostics.map(\.id.name) == ["duplicateCode"])
        let diabetes = try #require(result.pack.valueSets["diabetes"])
        #expect(diabetes.codes == ["00000000301", "00000000302"])
        #expect(diabetes.columns["ingredient"]?["00000000302"] == ["sitagliptin", "metformin"])
        #expect(diabetes.columns["ingredient"]?["00000000301"] == ["metformin"])
    }
}
