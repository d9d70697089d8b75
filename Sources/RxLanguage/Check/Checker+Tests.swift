extension Checker {
    /// What a test record line may say: its leading values and its `name value` attributes.
    private struct TestRecordShape {
        var attributes: [String: RuleType]
        var required: [String]
    }

    private static let recordShapes: [TestRecordKind: TestRecordShape] = [
        .member: TestRecordShape(
            attributes: ["birth_date": .date, "sex": .enumeration(.sex), "death_date": .date, "member_id": .string],
            required: ["birth_date", "sex"]),
        .enroll: TestRecordShape(
            attributes: ["plan": .string], required: []),
        .fill: TestRecordShape(
            attributes: [
                "ndc": .code, "days": .int, "quantity": .decimal, "paid": .money, "patient_pay": .money,
                "status": .enumeration(.status), "rx": .string, "fill_number": .int, "pharmacy": .string,
                "prescriber": .string, "claim_id": .string,
            ],
            required: ["ndc", "days"]),
        .medical: TestRecordShape(
            attributes: ["dx": .list(.code), "proc": .list(.code), "paid": .money, "claim_id": .string],
            required: []),
        .observation: TestRecordShape(
            attributes: ["code": .code, "value": .decimal, "unit": .string],
            required: ["code", "value"]),
    ]

    /// Test blocks: records well formed, `param` names a parameter, `expect` names an output and
    /// compares it with a value of its type.
    mutating func checkTests() {
        var names: [String: SourceRange] = [:]
        for declaration in declarations {
            guard case .test(let test) = declaration.kind else { continue }
            if let earlier = names[test.name.value] {
                report(.duplicateTest(test.name.value), at: test.name.range,
                       notes: [DiagnosticNote("first defined here", at: earlier)])
            }
            names[test.name.value] = test.name.range
            context = Context()
            for statement in test.statements {
                switch statement.kind {
                case .record(let kind, let values, let attributes):
                    // After a syntax error in the line, missing attributes would only repeat it.
                    checkTestRecord(kind, values: values, attributes: attributes, range: statement.range,
                                    complete: statement.unexpected == nil)
                case .param(let name, let value):
                    guard let parameter = pack.parameters[name.name] else {
                        report(.unknownName(name.name), at: name.range,
                               hint: didYouMean(name.name, among: pack.parameters.keys.sorted()))
                        _ = check(value, expected: nil)
                        continue
                    }
                    used.insert(name.name)
                    require(parameter.type, check(value, expected: parameter.type), at: value.range)
                case .expect(let subject, let date, let row, let expectation):
                    checkExpectation(subject, on: date, row: row, expectation)
                }
            }
        }
    }

    private mutating func checkTestRecord(
        _ kind: TestRecordKind, values: [Expr], attributes: [TestAttribute], range: SourceRange, complete: Bool
    ) {
        guard let shape = Checker.recordShapes[kind] else { return }
        // Leading values: member none; enroll a period; fill and observation a date; medical a setting and a period or date.
        var expectedValues: [RuleType]
        switch kind {
        case .member: expectedValues = []
        case .enroll: expectedValues = [.period]
        case .fill, .observation: expectedValues = [.date]
        case .medical: expectedValues = [.enumeration(.setting), .period]
        }
        for (value, expected) in zip(values, expectedValues) {
            let type = check(value, expected: expected)
            if kind == .medical, expected == .period, type == .date { continue }
            require(expected, type, at: value.range)
        }
        var given = Set<String>()
        for attribute in attributes {
            let name = attribute.name.name
            given.insert(name)
            guard let expected = shape.attributes[name] else {
                report(.unknownTestAttribute(name, record: kind.rawValue), at: attribute.name.range,
                       hint: didYouMean(name, among: shape.attributes.keys.sorted()))
                _ = check(attribute.value, expected: nil)
                continue
            }
            checkTestValue(attribute.value, expected: expected, isNDC: kind == .fill && name == "ndc")
        }
        for name in shape.required where complete && !given.contains(name) {
            report(.missingTestAttribute(name, record: kind.rawValue), at: range)
        }
    }

    /// Test data is written plainly: an NDC as digits, an amount without currency, one code or a list.
    private mutating func checkTestValue(_ value: Expr, expected: RuleType, isNDC: Bool) {
        switch (expected, value.kind) {
        case (.code, .integer(_, let text)):
            pack.expressionTypes[value.range] = .code
            if isNDC, CodeSystem.normalizeNDC(text) == nil {
                report(.malformedCode(text, system: .ndc), at: value.range)
            }
            return
        case (.code, .string(let text)):
            pack.expressionTypes[value.range] = .code
            if isNDC, CodeSystem.normalizeNDC(text) == nil {
                report(.malformedCode(text, system: .ndc), at: value.range)
            }
            return
        case (.money, .decimal), (.money, .integer):
            pack.expressionTypes[value.range] = .money
            return
        case (.list(.code), .string):
            pack.expressionTypes[value.range] = .code
            return
        case (.decimal, .string):
            // A non-numeric observation result such as "PD".
            pack.expressionTypes[value.range] = .string
            return
        default:
            require(expected, check(value, expected: expected), at: value.range)
        }
    }

    private mutating func checkExpectation(_ subject: Expr, on date: Expr?, row: Expr?, _ expectation: Expectation) {
        // The subject: a define or parameter, `block.output`, or a measure / claim rule by name.
        var subjectType: RuleType?
        var subjectKind: GlobalKind?
        var subjectName = ""
        var rowChecked = false
        switch subject.kind {
        case .name(let name):
            subjectName = name
            if let global = globals[name] {
                used.insert(name)
                subjectKind = global.kind
                switch global.kind {
                case .define:
                    subjectType = typeOfDefine(name)
                    pack.resolutions[subject.range] = .define(name)
                case .parameter:
                    subjectType = pack.parameters[name]?.type
                    pack.resolutions[subject.range] = .parameter(name)
                case .valueSet, .native:
                    report(.unknownExpectSubject(name), at: subject.range)
                    return
                case .measure, .contract, .claimRule:
                    break
                }
            } else {
                let outputs = globals.filter { [.define, .measure, .claimRule, .contract].contains($0.value.kind) }.keys.sorted()
                report(.unknownExpectSubject(name), at: subject.range, hint: didYouMean(name, among: outputs))
                return
            }
        case .member(let base, let field):
            guard case .name(let block) = base.kind, let global = globals[block],
                  global.kind == .measure || global.kind == .contract
            else {
                report(.unknownExpectSubject(sourceText(subject.range)), at: subject.range)
                return
            }
            used.insert(block)
            ensureBlock(block, index: global.index)
            guard let type = pack.outputs[block]?[field.name] else {
                report(.unknownOutput(field.name, of: block, kind: global.kind.rawValue), at: field.range,
                       hint: didYouMean(field.name, among: outputNames(of: block)))
                return
            }
            pack.resolutions[base.range] = .output(block: block, name: field.name)
            subjectType = type
            subjectName = sourceText(subject.range)
            // A value of a measure with `for each`: all its rows as a list, or one row with `row n`.
            if pack.rowMeasures[block] != nil, field.name != "included" {
                if let row {
                    if case .integer(let number, _) = row.kind, number >= 1 {} else {
                        report(.badRowNumber(sourceText(row.range)), at: row.range)
                    }
                    if case .equals = expectation {} else {
                        report(.rowOutsideRowMeasure("'\(subjectName)' without '='"), at: row.range)
                    }
                } else {
                    subjectType = .list(type)
                }
                rowChecked = true
            }
        default:
            report(.unknownExpectSubject(sourceText(subject.range)), at: subject.range)
            return
        }
        if let row, !rowChecked {
            report(.rowOutsideRowMeasure("'\(subjectName)'"), at: row.range)
        }
        if let date {
            if subjectKind != .claimRule {
                report(.onDateOutsideClaimRule, at: date.range)
            }
            require(.date, checkGlobalExpression(date, expected: .date), at: date.range)
        }
        switch expectation {
        case .equals(let value):
            if subjectKind == .claimRule {
                // `= pay` for a claim the rule lets through.
                require(.enumeration(.decision), checkGlobalExpression(value, expected: .enumeration(.decision)), at: value.range)
                return
            }
            guard let subjectType else {
                report(.expectationKind("=", subject: "\(subjectKind?.rawValue ?? "") '\(subjectName)'"), at: subject.range)
                return
            }
            let found = checkGlobalExpression(value, expected: subjectType.unwrapped)
            if !TypeRules.comparable(subjectType, found) || found.isOptional && !subjectType.isOptional {
                require(subjectType, found, at: value.range)
            }
        case .rejects(let code):
            guard subjectKind == .claimRule else {
                report(.expectationKind("reject", subject: "'\(subjectName)', which is not a claim rule"), at: subject.range)
                return
            }
            if let codes = pack.rejectCodes[subjectName], !codes.contains(code.text) {
                report(.rejectCodeNeverEmitted(code.text, rule: subjectName), at: code.range,
                       hint: didYouMean(code.text, among: codes))
            }
        case .excluded(let reason):
            guard subjectKind == .measure else {
                report(.expectationKind("excluded", subject: "'\(subjectName)', which is not a measure"), at: subject.range)
                return
            }
            if let reason, let reasons = excludeReasons[subjectName], !reasons.contains(reason.value) {
                report(.unknownExcludeReason(reason.value, measure: subjectName), at: reason.range,
                       hint: didYouMean(reason.value, among: reasons))
            }
        case .included:
            if subjectKind != .measure {
                report(.expectationKind("included", subject: "'\(subjectName)', which is not a measure"), at: subject.range)
            }
        }
    }
}
