import RxLanguage
import RxRecords
import RxValues

/// One failed `expect`: where it is, what it wanted, what the pack computed.
public struct ExpectFailure: Sendable, Equatable {
    /// `path:line:col` of the expect line.
    public var location: String
    public var expected: String
    public var actual: String
}

/// The outcome of one `test` block.
public struct TestOutcome: Sendable {
    public var name: String
    /// `path:line:col` of the test.
    public var location: String
    public var expectations: Int
    public var failures: [ExpectFailure]
    /// Set when the test could not run at all (bad record, lowering error).
    public var error: String?
    public var passed: Bool { failures.isEmpty && error == nil }
}

/// Every test of one pack, plus what no test reached.
public struct PackTestReport: Sendable {
    public var pack: String
    public var tests: [TestOutcome]
    /// Clauses and branches no test evaluated, with their locations.
    public var unreached: [(point: CoveragePoint, location: String)]
    public var passed: Bool { tests.allSatisfy(\.passed) }
}

/// Runs a pack's `test` blocks.
///
/// Each test builds one member from its statements. Defaults for omitted fields: member id
/// `test-member`; fills get claim ids `T0001`, `T0002`, ... in statement order, quantity = days
/// supply, paid 0.00, status paid; medical claims get ids `M0001`, ..., no codes, no paid amount;
/// enrollment plan `TEST`. `param` lines override parameters for that test only.
public enum PackTestRunner {
    public static func run(_ checked: PackCheckResult, natives: [String: NativeImplementation] = [:]) -> PackTestReport {
        var outcomes: [TestOutcome] = []
        var reached: [Bool] = []
        var points: [CoveragePoint] = []
        for file in checked.syntax {
            for declaration in file.declarations {
                guard case .test(let test) = declaration.kind else { continue }
                var outcome = TestOutcome(
                    name: test.name.value, location: location(declaration.range, checked), expectations: 0, failures: [])
                do {
                    let marks = try runTest(test, checked, &outcome, points: &points, natives: natives)
                    if reached.isEmpty { reached = marks } else if marks.count == reached.count {
                        for index in marks.indices where marks[index] { reached[index] = true }
                    }
                } catch {
                    outcome.error = "\(error)"
                }
                outcomes.append(outcome)
            }
        }
        if points.isEmpty, let plan = try? EnginePlan(checked: checked, codes: CodeTable()) { points = plan.coveragePoints }
        let unreached = points.indices.filter { $0 >= reached.count || !reached[$0] }.map {
            (points[$0], location(points[$0].range, checked))
        }
        return PackTestReport(pack: checked.pack.name, tests: outcomes, unreached: unreached)
    }

    static func location(_ range: SourceRange, _ checked: PackCheckResult) -> String {
        guard let source = checked.sources.first(where: { $0.id == range.file }) else { return "?" }
        let position = source.location(of: range.start)
        return "\(source.path):\(position.line):\(position.column)"
    }

    static func text(_ expr: Expr, _ checked: PackCheckResult) -> String {
        switch expr.kind {
        case .string(let value): return value
        case .list(let items): return items.map { text($0, checked) }.joined(separator: "|")
        default:
            guard let source = checked.sources.first(where: { $0.id == expr.range.file }) else { return "" }
            return source.text(expr.range)
        }
    }

    struct TestRecords {
        var members: [String] = []
        var fills: [String] = []
        var medical: [String] = []
        var enrollment: [String] = []
        var observations: [String] = []
    }

    /// `T0001`, `T0002`, ...
    static func claimID(_ prefix: String, _ number: Int) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// `520.00 USD` → `520.00`.
    static func amount(_ text: String?) -> String? {
        guard let text else { return nil }
        return text.split(separator: " ").first.map(String.init) ?? text
    }

    static func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    static func runTest(
        _ test: TestDeclaration, _ checked: PackCheckResult, _ outcome: inout TestOutcome, points: inout [CoveragePoint],
        natives: [String: NativeImplementation] = [:]
    ) throws -> [Bool] {
        let memberID = "test-member"
        var overrides: [String: ParameterValue] = [:]
        var rows = TestRecords()
        for statement in test.statements {
            switch statement.kind {
            case .param(let name, let expr):
                guard let parameter = checked.pack.parameters[name.name],
                      let value = ParameterValue.parse(text(expr, checked), as: parameter.type, currency: checked.pack.currency)
                else { throw EngineError("\(location(statement.range, checked)): cannot read the value of param \(name.name)") }
                overrides[name.name] = value
            case .record(let kind, let values, let attributes):
                var attribute: [String: String] = [:]
                for item in attributes { attribute[item.name.name] = text(item.value, checked) }
                let leading = values.map { text($0, checked) }
                let dates = leading.flatMap { $0.components(separatedBy: "..") }.map { $0.filter { $0 != " " } }
                    .filter { Day($0) != nil }
                switch kind {
                case .member:
                    let id = attribute["member_id"] ?? memberID
                    rows.members.append([id, attribute["birth_date"] ?? "", attribute["sex"] ?? "U", attribute["death_date"] ?? ""]
                        .map(csvField).joined(separator: ","))
                case .fill:
                    let days = attribute["days"] ?? ""
                    var fields: [String] = [attribute["claim_id"] ?? claimID("T", rows.fills.count + 1), memberID]
                    fields += [dates.first ?? "", attribute["ndc"] ?? "", days, attribute["quantity"] ?? days]
                    fields += [amount(attribute["paid"]) ?? "0.00", amount(attribute["patient_pay"]) ?? ""]
                    fields.append(attribute["status"] ?? "paid")
                    rows.fills.append(fields.map(csvField).joined(separator: ","))
                case .medical:
                    let setting = values.first.flatMap { if case .name(let name) = $0.kind { name } else { nil } } ?? ""
                    var fields: [String] = [attribute["claim_id"] ?? claimID("M", rows.medical.count + 1), memberID]
                    fields += [dates.first ?? "", dates.count > 1 ? dates[1] : (dates.first ?? ""), setting]
                    fields += [attribute["dx"] ?? "", attribute["proc"] ?? "", amount(attribute["paid"]) ?? ""]
                    rows.medical.append(fields.map(csvField).joined(separator: ","))
                case .enroll:
                    rows.enrollment.append([memberID, attribute["plan"] ?? "TEST", dates.first ?? "", dates.count > 1 ? dates[1] : ""]
                        .map(csvField).joined(separator: ","))
                case .observation:
                    rows.observations.append([memberID, dates.first ?? "", attribute["code"] ?? "", attribute["value"] ?? "",
                                              attribute["unit"] ?? ""].map(csvField).joined(separator: ","))
                }
            case .expect:
                break
            }
        }
        var files: [RxRecords.RecordKind: String] = [:]
        func add(_ kind: RxRecords.RecordKind, _ lines: [String]) {
            guard !lines.isEmpty else { return }
            files[kind] = ([kind.fields.joined(separator: ",")] + lines).joined(separator: "\n") + "\n"
        }
        add(.members, rows.members.map { $0 })
        add(.pharmacyClaims, rows.fills.map { $0 + ",,,," })
        add(.medicalClaims, rows.medical)
        add(.enrollment, rows.enrollment)
        add(.observations, rows.observations)
        let (records, report) = try RecordSet.fromCanonicalCSV(files)
        if let reject = report.rejects.first { throw EngineError("a test record was rejected: \(reject)") }
        let plan = try EnginePlan(checked: checked, codes: records.codes, overrides: overrides, natives: natives)
        points = plan.coveragePoints
        guard records.memberCount > 0 else { throw EngineError("the test declares no records") }
        // Expect subjects that are defines or parameters (as the checker resolved them).
        let globals: [String] = test.statements.compactMap { statement in
            guard case .expect(let subject, _, _, _) = statement.kind else { return nil }
            switch checked.pack.resolutions[subject.range] {
            case .define(let name)?, .parameter(let name)?: return name
            default: return nil
            }
        }
        let result = plan.evaluate(member: records.history(at: 0), in: records, trackCoverage: true, globals: globals)

        for statement in test.statements {
            guard case .expect(let subject, let on, let row, let expectation) = statement.kind else { continue }
            outcome.expectations += 1
            let here = location(statement.range, checked)
            if let failure = check(subject, on: on, row: row, expectation, result: result, records: records, checked: checked) {
                outcome.failures.append(ExpectFailure(location: here, expected: failure.expected, actual: failure.actual))
            }
        }
        return result.reached
    }

    // swiftlint:disable:next cyclomatic_complexity
    static func check(
        _ subject: Expr, on: Expr?, row: Expr? = nil, _ expectation: Expectation, result: MemberResult, records: RecordSet,
        checked: PackCheckResult
    ) -> (expected: String, actual: String)? {
        var block = "", field: String?
        switch subject.kind {
        case .name(let name): block = name
        case .member(let base, let member):
            if case .name(let name) = base.kind { block = name }
            field = member.name
        default: return ("a measure, contract or claim rule", text(subject, checked))
        }
        if let on {
            guard case .date(let day) = on.kind else { return ("a date after 'on'", text(on, checked)) }
            guard let rule = result.claimRules.first(where: { $0.rule == block }) else { return ("claim rule \(block)", "no such rule") }
            let decision = rule.decisions.first { $0.fillDate == day }
            let actual = decision.map { $0.pays ? "pay" : "reject " + $0.rejects.map(\.code).joined(separator: ", ") } ?? "pay (not selected)"
            switch expectation {
            case .rejects(let code):
                if decision?.rejects.contains(where: { $0.code == code.text }) == true { return nil }
                return ("reject \(code.text)", actual)
            case .equals(let expr):
                let wanted = text(expr, checked)
                if wanted == "pay", decision?.pays ?? true { return nil }
                return (wanted, actual)
            default:
                return ("a decision", actual)
            }
        }
        if let measure = result.measures.first(where: { $0.measure == block }) {
            let status: String = switch measure.status {
            case .notIncluded: "excluded (not in the denominator)"
            case .excluded(let reason): "excluded \"\(reason)\""
            case .included: "included"
            }
            switch expectation {
            case .included: return measure.status == .included ? nil : ("included", status)
            case .excluded(let reason):
                switch (measure.status, reason) {
                case (.notIncluded, nil), (.excluded, nil): return nil
                case (.excluded(let actual), let wanted?) where actual == wanted.value: return nil
                default: return (reason.map { "excluded \"\($0.value)\"" } ?? "excluded", status)
                }
            case .equals(let expr):
                guard measure.status == .included else { return ("\(block).\(field ?? "") = \(text(expr, checked))", status) }
                if let rows = measure.rows {
                    // A measure with `for each`: one row (`row n`, from 1), or every row as a list.
                    let column = rows.map { $0.first(where: { $0.name == field })?.value ?? .missing }
                    guard let row else { return compare(.list(column), expr, records: records, checked: checked) }
                    guard case .integer(let number, _) = row.kind, number >= 1 else { return ("a row number", text(row, checked)) }
                    guard Int(number) <= column.count else { return ("row \(number)", "\(column.count) rows") }
                    return compare(column[Int(number) - 1], expr, records: records, checked: checked)
                }
                guard let value = measure.values.first(where: { $0.name == field })?.value else { return ("a value \(field ?? "")", "no such value") }
                return compare(value, expr, records: records, checked: checked)
            case .rejects: return ("reject", status)
            }
        }
        if field == nil, let value = result.globals[block] {
            guard case .equals(let expr) = expectation else { return ("= value", "a define or parameter") }
            return compare(value, expr, records: records, checked: checked)
        }
        if let contract = result.contracts.first(where: { $0.contract == block }) {
            guard case .equals(let expr) = expectation else { return ("= value", "a contract") }
            guard let value = contract.outputs.first(where: { $0.name == field })?.value else { return ("an output \(field ?? "")", "no such output") }
            return compare(value, expr, records: records, checked: checked)
        }
        return ("a define, parameter, measure, contract or claim rule named \(block)", "none")
    }

    static func compare(_ actual: Value, _ expr: Expr, records: RecordSet, checked: PackCheckResult) -> (expected: String, actual: String)? {
        let wanted = constant(expr, checked)
        if !wanted.isMissing, !actual.isMissing, Compare.equal(actual, wanted, codes: records.codes) { return nil }
        if wanted.isMissing, actual.isMissing, case .name = expr.kind { return nil }
        // A list literal is shown as written, not in the `|`-joined form of test record fields.
        let shown: String
        if case .list = expr.kind, let source = checked.sources.first(where: { $0.id == expr.range.file }) {
            shown = source.text(expr.range)
        } else {
            shown = text(expr, checked)
        }
        return (shown, actual.display(codes: records.codes))
    }

    /// The value of an expected-value expression: literals and arithmetic on them.
    static func constant(_ expr: Expr, _ checked: PackCheckResult) -> Value {
        switch expr.kind {
        case .integer(let value, _): return .int(Int(value))
        case .decimal(let value, _): return .decimal(Rational(value))
        case .money(let value, _, _): return .money(value)
        case .date(let day): return .date(day)
        case .string(let value): return .string(value)
        case .boolean(let value): return .bool(value)
        case .parenthesized(let inner): return constant(inner, checked)
        // A list output (claim ids of a measure, say) equals a list literal element by element, in order.
        case .list(let items): return .list(items.map { constant($0, checked) })
        case .name(let name): return .enumMember(name)
        case .unary(.negate, let inner, _): return Arithmetic.negate(constant(inner, checked), as: .decimal)
        case .duration(let count, let unit, _):
            guard case .int(let number) = constant(count, checked) else { return .missing }
            return unit == .days ? .days(number) : .months(unit == .years ? number * 12 : number)
        case .binary(.range, let left, let right, _):
            guard case .date(let start) = constant(left, checked), case .date(let end) = constant(right, checked) else { return .missing }
            return .period(Period(start, end))
        case .binary(let op, let left, let right, _):
            let type = checked.pack.expressionTypes[expr.range]?.unwrapped ?? (op == .divide ? .decimal : .int)
            return Arithmetic.apply(op, constant(left, checked), constant(right, checked), as: type)
        default: return .missing
        }
    }
}
