import RxValues

extension Checker {
    // MARK: Pack header

    /// One `pack` header, in pack.rules, with a semantic version, a valid engine range and currency.
    mutating func checkHeader() {
        var header: (pack: PackDeclaration, declaration: Declaration)?
        for (index, declaration) in declarations.enumerated() {
            guard case .pack(let pack) = declaration.kind else { continue }
            if let first = header?.declaration {
                report(.duplicatePackHeader, at: declaration.keywordRange,
                       notes: [DiagnosticNote("first header here", at: first.keywordRange)])
                continue
            }
            let path = sources[declarationFiles[index]].path
            if folder != nil, !(path == "pack.rules" || path.hasSuffix("/pack.rules")) {
                report(.packHeaderOutsidePackFile, at: declaration.keywordRange)
            }
            header = (pack, declaration)
        }
        guard let header = header?.pack else {
            if let first = sources.first, folder != nil || !declarations.isEmpty {
                report(.missingPackHeader, at: SourceRange(file: first.id, start: 0, end: 0))
            }
            return
        }
        pack.name = header.name.value
        if let folder, !header.name.value.isEmpty, header.name.value != folder.name {
            report(.packNameMismatch(header.name.value, folder: folder.name), at: header.name.range)
        }
        if let version = header.version {
            if let parsed = SemanticVersion(version.value) {
                pack.version = parsed
            } else {
                report(.invalidVersion(version.value), at: version.range)
            }
        } else {
            report(.missingVersion, at: header.name.range)
        }
        var seen: [String: SourceRange] = [:]
        for clause in header.clauses {
            let keyword: String
            switch clause.kind {
            case .title: keyword = "title"
            case .engine(let text):
                keyword = "engine"
                if let range = VersionRange(text.value) {
                    pack.engineRange = range
                    if !range.contains(EngineVersion.current) {
                        report(.engineMismatch(text.value, EngineVersion.current), at: text.range)
                    }
                } else {
                    report(.invalidEngineRange(text.value), at: text.range)
                }
            case .currency(let code):
                keyword = "currency"
                // The parser reports a malformed code; only a well-formed one becomes the currency.
                if code.name.count == 3, code.name.allSatisfy(\.isASCIIUpperLetter) {
                    pack.currency = code.name
                }
            }
            if let earlier = seen[keyword] {
                report(.duplicateHeaderClause(keyword), at: clause.keywordRange,
                       notes: [DiagnosticNote("first given here", at: earlier)])
            }
            seen[keyword] = clause.keywordRange
        }
    }

    // MARK: Parameters

    /// Typed defaults that are literals, then `--param` overrides parsed against the declared types.
    mutating func checkParameters() {
        var declared: [String: (ParameterDeclaration, RuleType)] = [:]
        for (index, declaration) in declarations.enumerated() {
            guard case .parameter(let parameter) = declaration.kind, globals[parameter.name.name]?.index == index
            else { continue }
            var type = resolveType(parameter.type)
            if !type.containsError, !Checker.isParameterType(type) {
                report(.invalidParameterType(type.description), at: parameter.type.range)
                type = .error
            }
            var value: ParameterValue?
            if !parameter.defaultValue.isErroneous, !type.containsError {
                if Checker.isLiteral(parameter.defaultValue) {
                    let found = checkGlobalExpression(parameter.defaultValue, expected: type)
                    if !type.accepts(found) {
                        report(.typeMismatch(expected: type.description, found: found), at: parameter.defaultValue.range,
                               notes: [DiagnosticNote("type declared here", at: parameter.type.range)])
                    } else {
                        value = literalValue(parameter.defaultValue, as: type)
                    }
                } else {
                    report(.parameterDefaultNotLiteral, at: parameter.defaultValue.range)
                }
            }
            pack.parameters[parameter.name.name] = CheckedParameter(
                name: parameter.name.name, type: type, value: value, isOverridden: false)
            declared[parameter.name.name] = (parameter, type)
        }
        guard !overrides.isEmpty else { return }
        // The overrides become a small source file so their errors have a line, a column and a caret.
        var text: [UInt8] = []
        var starts: [Int] = []
        for override in overrides {
            starts.append(text.count)
            text += Array("\(override.name)=\(override.text)\n".utf8)
        }
        let file = addSource(path: "--param", bytes: text)
        for (override, start) in zip(overrides, starts) {
            let whole = SourceRange(file: file, start: start, end: start + override.name.utf8.count + 1 + override.text.utf8.count)
            guard let (parameter, type) = declared[override.name] else {
                guard reportUnknownOverrides else { continue }
                report(.unknownParameterOverride(override.name),
                       at: SourceRange(file: file, start: start, end: start + override.name.utf8.count),
                       hint: didYouMean(override.name, among: declared.keys.sorted()))
                continue
            }
            guard !type.containsError else { continue }
            if let value = ParameterValue.parse(override.text, as: type, currency: pack.currency) {
                pack.parameters[override.name]?.value = value
                pack.parameters[override.name]?.isOverridden = true
            } else if case .enumeration(let kind) = type, kind.members.contains(override.text.trimmingSpaces) {
                pack.parameters[override.name]?.isOverridden = true
            } else {
                report(.badParameterOverride(override.name, text: override.text, type: type), at: whole,
                       notes: [DiagnosticNote("'\(override.name)' is declared here", at: parameter.name.range)])
            }
        }
    }

    static func isParameterType(_ type: RuleType) -> Bool {
        switch type {
        case .enumeration: true
        case .optional, .list, .record, .valueSet, .timeline, .nothing, .error: false
        default: true
        }
    }

    /// Literals, negated literals, date ranges, durations and bare names (enum members).
    static func isLiteral(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .integer, .decimal, .money, .date, .string, .boolean, .name: true
        case .parenthesized(let inner), .unary(.negate, let inner, _), .duration(let inner, _, _): isLiteral(inner)
        case .binary(.range, let lhs, let rhs, _): isLiteral(lhs) && isLiteral(rhs)
        default: false
        }
    }

    /// The value of a literal default, for the checked pack's parameter table.
    func literalValue(_ expr: Expr, as type: RuleType) -> ParameterValue? {
        switch (expr.kind, type) {
        case (.parenthesized(let inner), _): return literalValue(inner, as: type)
        case (.boolean(let value), .bool): return .bool(value)
        case (.integer(let value, _), .int): return .int(Int(value))
        case (.integer(let value, _), .decimal): return .decimal(ExactDecimal(value))
        case (.integer(let value, _), .days): return .days(Int(value))
        case (.decimal(let value, _), .decimal): return .decimal(value)
        case (.money(let value, let currency, _), .money): return .money(value, currency: currency)
        case (.date(let day), .date): return .date(day)
        case (.string(let text), .string): return .string(text)
        case (.string(let text), .code): return .code(text)
        case (.duration(let count, let unit, _), .days) where unit == .days:
            if case .integer(let value, _) = count.kind { return .days(Int(value)) }
            return nil
        case (.duration(let count, let unit, _), .months):
            if case .integer(let value, _) = count.kind { return .months(Int(value) * (unit == .years ? 12 : 1)) }
            return nil
        case (.binary(.range, let lhs, let rhs, _), .period):
            if case .date(let start) = lhs.kind, case .date(let end) = rhs.kind { return .period(Period(start, end)) }
            return nil
        default: return nil
        }
    }

    /// Checks an expression outside any block (parameter defaults, `codes`, test values).
    mutating func checkGlobalExpression(_ expr: Expr, expected: RuleType?) -> RuleType {
        let saved = context
        context = Context()
        let type = check(expr, expected: expected)
        context = saved
        return type
    }

    // MARK: Value sets

    /// Loads inline lists and CSV files; file and column problems point into the rules and the CSV.
    mutating func loadValueSets() {
        for (index, declaration) in declarations.enumerated() {
            guard case .valueSet(let set) = declaration.kind, globals[set.name.name]?.index == index else { continue }
            var checked = CheckedValueSet(name: set.name.name, system: nil, codes: [], prefixes: [], columns: [:], version: nil)
            for clause in set.clauses {
                if case .version(let text) = clause.kind { checked.version = text.value }
            }
            switch set.source {
            case .missing:
                break
            case .inline(let systemName, let codes):
                guard let system = CodeSystem(rawValue: systemName.name) else {
                    if !systemName.isMissing {
                        report(.unknownCodeSystem(systemName.name), at: systemName.range,
                               hint: didYouMean(systemName.name, among: CodeSystem.allCases.map(\.rawValue)))
                    }
                    break
                }
                checked.system = system
                var seen = Set<String>()
                for code in codes {
                    addCode(code.value, system: system, at: code.range, to: &checked, seen: &seen)
                }
            case .file(let path, let columns):
                loadFile(path: path, columns: columns, into: &checked)
            }
            for column in checked.columns.keys.sorted() { columnOwners[column, default: []].append(set.name.name) }
            pack.valueSets[set.name.name] = checked
        }
    }

    mutating func addCode(
        _ raw: String, system: CodeSystem, at range: SourceRange, to set: inout CheckedValueSet, seen: inout Set<String>
    ) {
        let code = raw.trimmingSpaces
        guard !code.isEmpty else {
            report(.emptyCode, at: range)
            return
        }
        guard let normalized = system.normalize(code) else {
            report(.malformedCode(code, system: system), at: range)
            return
        }
        guard seen.insert(normalized).inserted else {
            report(.duplicateCode(code), at: range)
            return
        }
        if normalized.hasSuffix("*") {
            set.prefixes.append(String(normalized.dropLast()))
        } else {
            set.codes.insert(normalized)
        }
    }

    mutating func loadFile(path: StringLiteral, columns: [Identifier], into set: inout CheckedValueSet) {
        // Until the file is found, the declared columns stand in for it so lookups still check.
        for column in columns where column.name != "code" && !column.isMissing { set.columns[column.name] = [:] }
        guard let folder else {
            unloadedValueSets.insert(set.name)
            return
        }
        guard let file = folder.file(at: path.value) else {
            unloadedValueSets.insert(set.name)
            let csvFiles = folder.files.map(\.relativePath).filter { $0.hasSuffix(".csv") }
            report(.missingValueSetFile(path.value), at: path.range, hint: didYouMean(path.value, among: csvFiles))
            return
        }
        let fileID = addSource(path: folder.displayPath(of: file.relativePath), bytes: file.bytes)
        let table = ValueSetTable.parse(file.bytes)
        let headerRange = SourceRange(file: fileID, start: table.header.first?.offset ?? 0,
                                      end: (table.header.last.map { $0.offset + $0.text.utf8.count }) ?? 0)
        let headerNote = [DiagnosticNote("header of '\(path.value)' here", at: headerRange)]
        set.columns = [:]
        guard let codeColumn = table.column("code") else {
            unloadedValueSets.insert(set.name)
            report(.missingValueSetColumn("code", path: path.value), at: path.range, notes: headerNote)
            return
        }
        let headerNames = table.header.map(\.text)
        var wanted: [(String, Int)] = []
        if columns.isEmpty {
            wanted = table.header.enumerated().compactMap { index, cell in
                index == codeColumn || cell.text == "system" || cell.text.isEmpty ? nil : (cell.text, index)
            }
        } else {
            for column in columns where column.name != "code" && !column.isMissing {
                if let index = table.column(column.name) {
                    wanted.append((column.name, index))
                } else {
                    report(.missingValueSetColumn(column.name, path: path.value), at: column.range, notes: headerNote,
                           hint: didYouMean(column.name, among: headerNames))
                }
            }
        }
        let systemColumn = table.column("system")
        var systems = Set<CodeSystem>()
        var rowsByCode: [String: [[String]]] = [:]
        for row in table.rows {
            let cell = row[codeColumn]
            let cellRange = SourceRange(file: fileID, start: cell.offset, end: cell.offset + cell.text.utf8.count)
            var system = CodeSystem.local
            if let systemColumn {
                let systemCell = row[systemColumn]
                if let known = CodeSystem(rawValue: systemCell.text) {
                    system = known
                    systems.insert(known)
                } else {
                    report(.unknownValueSetSystem(systemCell.text),
                           at: SourceRange(file: fileID, start: systemCell.offset, end: systemCell.offset + systemCell.text.utf8.count),
                           hint: didYouMean(systemCell.text, among: CodeSystem.allCases.map(\.rawValue)))
                    continue
                }
            }
            let code = cell.text.trimmingSpaces
            guard !code.isEmpty else {
                report(.emptyCode, at: cellRange)
                continue
            }
            guard let key = system.normalize(code) else {
                report(.malformedCode(code, system: system), at: cellRange)
                continue
            }
            // A code may repeat with other column values (a combination product under two
            // ingredients); only a repeat of the whole row is a mistake.
            let values = wanted.map { row[$0.1].text }
            if let previous = rowsByCode[key] {
                if previous.contains(values) {
                    report(.duplicateCode(code), at: cellRange)
                    continue
                }
            } else if key.hasSuffix("*") {
                set.prefixes.append(String(key.dropLast()))
            } else {
                set.codes.insert(key)
            }
            rowsByCode[key, default: []].append(values)
            for (position, (column, _)) in wanted.enumerated() {
                set.columns[column, default: [:]][key, default: []].append(values[position])
            }
        }
        for (column, _) in wanted where set.columns[column] == nil { set.columns[column] = [:] }
        if systems.count == 1 { set.system = systems.first }
    }
}
