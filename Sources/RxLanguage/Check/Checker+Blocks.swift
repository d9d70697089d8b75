extension Checker {
    /// Checks a measure, contract or claim rule once; a block read through its outputs is checked first.
    mutating func ensureBlock(_ name: String, index: Int) {
        guard blockStates[name] == nil, globals[name]?.index == index else { return }
        blockStates[name] = .inProgress
        let saved = context
        context = Context(currentNode: name)
        defineEdges[name] = defineEdges[name] ?? []
        switch declarations[index].kind {
        case .measure(let measure): checkMeasure(measure)
        case .contract(let contract): checkContract(contract)
        case .claimRule(let rule): checkClaimRule(rule)
        default: break
        }
        context = saved
        blockStates[name] = .done
    }

    /// Binds a block-level name; a name that hides a pack-level one gets a warning unless it
    /// re-exports exactly that name (`value ipsd = ipsd`).
    private mutating func bind(
        _ name: Identifier, _ type: RuleType, block: String, what: String, value: Expr?, outputs: inout [String: RuleType]?
    ) {
        guard !name.isMissing else { return }
        if context.scopes[0].locals[name.name] != nil || outputs?[name.name] != nil {
            report(.duplicateDefinition(name.name), at: name.range)
            return
        }
        var reexport = false
        if let value, case .name(let written) = value.kind, written == name.name { reexport = true }
        if globals[name.name] != nil, !reexport {
            report(.shadowing(name.name, by: what), at: name.range, notes: globals[name.name].map {
                [DiagnosticNote("'\(name.name)' is defined here", at: $0.nameRange)]
            } ?? [])
        }
        context.scopes[0].locals[name.name] = Local(type: type, resolution: .local(block: block, name: name.name))
        outputs?[name.name] = type
    }

    // MARK: Measures

    private mutating func checkMeasure(_ measure: MeasureDeclaration) {
        let name = measure.name.name
        context.scopes = [Scope()]
        var outputs: [String: RuleType]? = ["included": .bool]
        var reasons: [String: SourceRange] = [:]
        // `for each` sits between the member-level conditions and the per-row values.
        var forEachRange: SourceRange?
        var sawValue = false
        for clause in measure.clauses {
            switch clause.kind {
            case .include(let condition):
                if forEachRange != nil { report(.forEachPlacement, at: clause.keywordRange) }
                checkCondition(condition)
            case .exclude(let reason, let condition):
                if forEachRange != nil { report(.forEachPlacement, at: clause.keywordRange) }
                checkCondition(condition)
                if let reason {
                    if let earlier = reasons[reason.value] {
                        report(.duplicateDefinition(reason.value), at: reason.range,
                               notes: [DiagnosticNote("first exclusion here", at: earlier)])
                    }
                    reasons[reason.value] = reason.range
                }
            case .value(let valueName, let value):
                sawValue = true
                let type = check(value, expected: nil)
                bind(valueName, type, block: name, what: "value", value: value, outputs: &outputs)
            case .forEach(let rowName, let list):
                if let earlier = forEachRange {
                    report(.duplicateClause("for each"), at: clause.keywordRange,
                           notes: [DiagnosticNote("first given here", at: earlier)])
                } else if sawValue {
                    report(.forEachPlacement, at: clause.keywordRange)
                }
                forEachRange = forEachRange ?? clause.keywordRange
                let type = check(list, expected: nil)
                let element: RuleType
                switch type.unwrapped {
                case .list(let inner): element = inner
                case .error: element = .error
                default:
                    report(.forEachNeedsList(type), at: list.range)
                    element = .error
                }
                var none: [String: RuleType]?
                bind(rowName, element, block: name, what: "row", value: nil, outputs: &none)
                if !rowName.isMissing { pack.rowMeasures[name] = rowName.name }
            }
        }
        excludeReasons[name] = reasons.keys.sorted()
        pack.outputs[name] = outputs
    }

    // MARK: Contracts

    private mutating func checkContract(_ contract: ContractDeclaration) {
        let name = contract.name.name
        context.scopes = [Scope()]
        var outputs: [String: RuleType]? = [:]
        var seen: [String: SourceRange] = [:]
        var hasPayout = false
        for clause in contract.clauses {
            let keyword: String?
            switch clause.kind {
            case .window(let period):
                keyword = "window"
                let type = check(period, expected: .period)
                require(.optional(.period), type, at: period.range)
                // A contract whose window is missing is not eligible, so inside it the window is a Period.
                context.scopes[0].locals["window"] = Local(type: .period, resolution: .local(block: name, name: "window"))
                outputs?["window"] = type.containsError ? .error : .optional(.period)
            case .eligible(let condition):
                keyword = "eligible"
                checkCondition(condition)
                outputs?["eligible"] = .bool
            case .gate(let gateName, let condition):
                keyword = nil
                checkCondition(condition)
                bind(gateName, .bool, block: name, what: "gate", value: condition, outputs: &outputs)
            case .event(let eventName, let value):
                keyword = nil
                let type = check(value, expected: nil)
                bind(eventName, type, block: name, what: "event", value: value, outputs: &outputs)
            case .payout(let condition, let amount):
                keyword = "payout"
                hasPayout = true
                if let condition { checkCondition(condition) }
                let type = check(amount, expected: .money)
                if require(.optional(.money), type, at: amount.range) {
                    outputs?["payout"] = .optional(.money)
                }
            case .let(let letName, let value):
                keyword = nil
                let type = check(value, expected: nil)
                var none: [String: RuleType]?
                bind(letName, type, block: name, what: "let", value: value, outputs: &none)
            }
            if let keyword {
                if let earlier = seen[keyword] {
                    report(.duplicateClause(keyword), at: clause.keywordRange,
                           notes: [DiagnosticNote("first given here", at: earlier)])
                }
                seen[keyword] = clause.keywordRange
            }
        }
        if !hasPayout, !contract.name.isMissing {
            report(.missingClause("payout", block: "contract"), at: contract.name.range)
        }
        pack.outputs[name] = outputs
    }

    // MARK: Claim rules

    private mutating func checkClaimRule(_ rule: ClaimRuleDeclaration) {
        let name = rule.name.name
        context.scopes = [Scope()]
        var codeList: (name: String, codes: Set<String>)?
        var rejects: [String] = []
        var hasFor = false
        var lastWasReject = false
        context.inClaimRule = true
        for clause in rule.clauses {
            var isReject = false
            switch clause.kind {
            case .for(let fills):
                hasFor = true
                // The claim selection runs before there is a claim: no `this` or `history` in it.
                context.inClaimRule = false
                let type = check(fills, expected: .list(.record(.fill)))
                require(.list(.record(.fill)), type, at: fills.range)
                context.inClaimRule = true
            case .codes(let list):
                if case .name(let listName) = list.kind, globals[listName]?.kind == .valueSet {
                    used.insert(listName)
                    pack.resolutions[list.range] = .valueSet(listName)
                    pack.expressionTypes[list.range] = .valueSet
                    let set = pack.valueSets[listName]
                    if !unloadedValueSets.contains(listName) {
                        codeList = (listName, (set?.codes ?? []).union(set?.prefixes ?? []))
                    }
                } else if case .name(let listName) = list.kind {
                    if globals[listName] == nil {
                        report(.unknownName(listName), at: list.range,
                               hint: didYouMean(listName, among: globals.filter { $0.value.kind == .valueSet }.keys.sorted()))
                    } else {
                        used.insert(listName)
                        report(.notAValueSet(listName), at: list.range)
                    }
                } else {
                    _ = check(list, expected: .valueSet)
                    report(.notAValueSet(sourceText(list.range)), at: list.range)
                }
            case .let(let letName, let value):
                let type = check(value, expected: nil)
                var none: [String: RuleType]?
                bind(letName, type, block: name, what: "let", value: value, outputs: &none)
            case .reject(let code, _, let condition):
                isReject = true
                checkCondition(condition)
                rejects.append(code.text)
                if let codeList, !codeList.codes.contains(code.text) {
                    report(.unknownRejectCode(code.text, list: codeList.name), at: code.range,
                           hint: didYouMean(code.text, among: codeList.codes.sorted()))
                }
            case .nextFill(let date):
                let type = check(date, expected: .date)
                require(.optional(.date), type, at: date.range)
                if !lastWasReject { report(.nextFillWithoutReject, at: clause.keywordRange) }
                isReject = lastWasReject
            }
            lastWasReject = isReject
        }
        if !hasFor, !rule.name.isMissing {
            report(.missingClause("for", block: "claim rule"), at: rule.name.range, hint: "say which claims it runs on: for fills where ...")
        }
        pack.rejectCodes[name] = rejects
    }
}
