/// The type checker's working state for one pack: declarations, scopes and findings.
///
/// One pass over every file collects all findings; nothing stops at the first error.
/// The order is: declarations → header → parameters → value sets → defines (in dependency order)
/// → measures, contracts, claim rules → tests → cycles and unused-name warnings.
struct Checker {
    enum GlobalKind: String {
        case parameter, valueSet = "value set", define, measure, contract, claimRule = "claim rule"
    }

    struct Global {
        var kind: GlobalKind
        var nameRange: SourceRange
        /// Index into `declarations`.
        var index: Int
    }

    /// A name bound inside a block or a filter.
    struct Local {
        var type: RuleType
        var resolution: Resolution
    }

    /// One level of name lookup: a filter's element, or a block's lets and values.
    struct Scope {
        var element: RuleType?
        var locals: [String: Local] = [:]
    }

    enum State { case inProgress, done }

    /// Where the expressions being checked live (what `this`, `history`, `window` mean).
    struct Context {
        var scopes: [Scope] = []
        var inClaimRule = false
        /// The define or block being checked: the source of dependency edges.
        var currentNode: String?
    }

    var sources: [SourceFile]
    var declarations: [Declaration] = []
    /// The source file index of each declaration.
    var declarationFiles: [Int] = []
    var globals: [String: Global] = [:]
    var diagnostics: [Diagnostic] = []
    var pack: CheckedPack
    let folder: PackFolder?
    let overrides: [ParameterOverride]
    var reportUnknownOverrides = true

    var context = Context()
    var defineStates: [String: State] = [:]
    var blockStates: [String: State] = [:]
    var defineEdges: [String: [String]] = [:]
    var used: Set<String> = []
    /// Value-set column name → value sets that declare it, in declaration order.
    var columnOwners: [String: [String]] = [:]
    /// Value sets whose file could not be read: their codes are unknown, so membership is not checked.
    var unloadedValueSets: Set<String> = []
    /// Measure name → its exclusion reasons.
    var excludeReasons: [String: [String]] = [:]
    /// Ranges already warned about, so a shadowing field warns once.
    var warnedRanges: Set<SourceRange> = []
    var nextFileID: Int32

    init(sources: [SourceFile], trees: [FileSyntax], folder: PackFolder?, overrides: [ParameterOverride]) {
        self.sources = sources
        self.folder = folder
        self.overrides = overrides
        self.pack = CheckedPack(name: folder?.name ?? "", contentHash: folder?.contentHash ?? "")
        self.nextFileID = (sources.map(\.id.rawValue).max() ?? -1) + 1
        for (fileIndex, tree) in trees.enumerated() {
            for declaration in tree.declarations {
                declarations.append(declaration)
                declarationFiles.append(fileIndex)
            }
        }
    }

    // MARK: Reporting

    mutating func report(
        _ message: DiagnosticMessage, at range: SourceRange, notes: [DiagnosticNote] = [], hint: String? = nil
    ) {
        diagnostics.append(Diagnostic(message, at: range, notes: notes, hint: hint))
    }

    /// Adds a file that diagnostics can point into (a value-set CSV, the `--param` list).
    mutating func addSource(path: String, bytes: [UInt8]) -> SourceFileID {
        let id = SourceFileID(nextFileID)
        nextFileID += 1
        sources.append(SourceFile(id: id, path: path, bytes: bytes))
        return id
    }

    func didYouMean(_ name: String, among candidates: some Sequence<String>) -> String? {
        Suggestion.closest(to: name, among: candidates).map { "did you mean '\($0)'?" }
    }

    // MARK: The whole pack

    mutating func run() {
        collectGlobals()
        checkHeader()
        checkParameters()
        loadValueSets()
        for name in defineOrder() { _ = typeOfDefine(name) }
        for (index, declaration) in declarations.enumerated() {
            switch declaration.kind {
            case .measure(let measure): ensureBlock(measure.name.name, index: index)
            case .contract(let contract): ensureBlock(contract.name.name, index: index)
            case .claimRule(let rule): ensureBlock(rule.name.name, index: index)
            default: break
            }
        }
        checkTests()
        reportCycles()
        reportUnused()
        diagnostics = diagnostics.sortedByLocation()
    }

    /// Registers every named declaration; a second one with the same name is an error with a note.
    mutating func collectGlobals() {
        for (index, declaration) in declarations.enumerated() {
            let entry: (Identifier, GlobalKind)?
            switch declaration.kind {
            case .parameter(let d): entry = (d.name, .parameter)
            case .valueSet(let d): entry = (d.name, .valueSet)
            case .define(let d): entry = (d.name, .define)
            case .measure(let d): entry = (d.name, .measure)
            case .contract(let d): entry = (d.name, .contract)
            case .claimRule(let d): entry = (d.name, .claimRule)
            case .pack, .test, .unexpected: entry = nil
            }
            guard let (identifier, kind) = entry, !identifier.isMissing else { continue }
            if let earlier = globals[identifier.name] {
                report(.duplicateDefinition(identifier.name), at: identifier.range,
                       notes: [DiagnosticNote("first defined here", at: earlier.nameRange)])
                continue
            }
            globals[identifier.name] = Global(kind: kind, nameRange: identifier.range, index: index)
            if RecordSchema.roots.contains(where: { $0.name == identifier.name }) {
                report(.shadowing(identifier.name, by: kind.rawValue), at: identifier.range)
            }
        }
    }

    // MARK: Defines

    /// Defines in an order where, as far as the names written in them tell, each comes after
    /// what it uses; computed without recursion so long chains are safe.
    func defineOrder() -> [String] {
        var names: [String] = []
        var edges: [String: [String]] = [:]
        for declaration in declarations {
            guard case .define(let define) = declaration.kind, !define.name.isMissing,
                  globals[define.name.name]?.kind == .define, edges[define.name.name] == nil
            else { continue }
            names.append(define.name.name)
            var referenced: [String] = []
            Checker.collectNames(define.value, into: &referenced)
            edges[define.name.name] = referenced.filter { globals[$0]?.kind == .define }
        }
        var order: [String] = []
        var visited = Set<String>()
        for root in names where !visited.contains(root) {
            var stack: [(String, Int)] = [(root, 0)]
            visited.insert(root)
            while let (node, next) = stack.last {
                let targets = edges[node] ?? []
                if next < targets.count {
                    stack[stack.count - 1].1 += 1
                    if visited.insert(targets[next]).inserted { stack.append((targets[next], 0)) }
                } else {
                    order.append(node)
                    stack.removeLast()
                }
            }
        }
        return order
    }

    /// Every bare name written in an expression (a superset of the definitions it uses).
    static func collectNames(_ root: Expr, into names: inout [String]) {
        var stack = [root]
        while let expr = stack.popLast() {
            switch expr.kind {
            case .name(let name): names.append(name)
            case .list(let items): stack += items
            case .parenthesized(let inner), .unary(_, let inner, _), .member(let inner, _), .exists(let inner),
                 .isMissing(let inner), .duration(let inner, _, _):
                stack.append(inner)
            case .binary(_, let lhs, let rhs, _): stack += [lhs, rhs]
            case .filter(let list, let condition): stack += [list, condition]
            case .conditional(let condition, let then, let otherwise): stack += [condition, then, otherwise]
            case .call(let callee, let arguments): stack += [callee] + arguments.map(\.value)
            default: break
            }
        }
    }

    /// The type of define `name`, checking it now if needed; a define already being checked is part
    /// of a cycle (reported once at the end) and reads as `error` here.
    mutating func typeOfDefine(_ name: String) -> RuleType {
        if let type = pack.defineTypes[name] { return type }
        if defineStates[name] == .inProgress { return .error }
        guard let global = globals[name], case .define(let define) = declarations[global.index].kind else { return .error }
        defineStates[name] = .inProgress
        let saved = context
        context = Context(currentNode: name)
        defineEdges[name] = defineEdges[name] ?? []
        var type: RuleType
        if let annotation = define.type {
            let declared = resolveType(annotation)
            type = declared
            let found = check(define.value, expected: declared)
            if !declared.accepts(found) {
                report(.typeMismatch(expected: declared.description, found: found), at: define.value.range,
                       notes: [DiagnosticNote("type declared here", at: annotation.range)])
            }
        } else {
            type = check(define.value, expected: nil)
            if type == .list(.nothing) {
                report(.untypedEmptyList(), at: define.value.range, hint: "write the type: define \(name): List<Fill> = []")
                type = .error
            }
        }
        context = saved
        defineStates[name] = .done
        pack.defineTypes[name] = type
        pack.evaluationOrder.append(name)
        return type
    }

    mutating func reportCycles() {
        // Defines and blocks in source order: a block reading a define that reads the block's
        // output is a cycle too.
        var order: [String] = []
        var seen = Set<String>()
        for declaration in declarations {
            guard let name = declaration.name, let global = globals[name], global.kind != .parameter,
                  global.kind != .valueSet, seen.insert(name).inserted
            else { continue }
            order.append(name)
        }
        for cycle in DependencyCycles.find(order: order, edges: defineEdges) {
            guard let first = cycle.first, let start = globals[first] else { continue }
            let notes = cycle.dropFirst().dropLast().compactMap { name in
                globals[name].map { DiagnosticNote("'\(name)' is defined here", at: $0.nameRange) }
            }
            report(.definitionCycle(cycle), at: start.nameRange, notes: notes)
            let members = Set(cycle)
            pack.evaluationOrder.removeAll { members.contains($0) }
        }
    }

    mutating func reportUnused() {
        for (index, declaration) in declarations.enumerated() {
            switch declaration.kind {
            case .define(let d) where globals[d.name.name]?.index == index && !used.contains(d.name.name):
                report(.unusedDefine(d.name.name), at: d.name.range)
            case .valueSet(let d) where globals[d.name.name]?.index == index && !used.contains(d.name.name):
                report(.unusedValueSet(d.name.name), at: d.name.range)
            case .parameter(let d) where globals[d.name.name]?.index == index && !used.contains(d.name.name):
                report(.unusedParameter(d.name.name), at: d.name.range)
            default: break
            }
        }
    }

    // MARK: Types written in the source

    /// The type a `TypeSyntax` names; unknown names are reported and read as `error`.
    mutating func resolveType(_ syntax: TypeSyntax) -> RuleType {
        let name = syntax.name.name
        var type: RuleType
        if syntax.name.isMissing {
            type = .error
        } else if name == "List" {
            if syntax.arguments.count == 1 {
                type = .list(resolveType(syntax.arguments[0]))
            } else {
                report(.unknownType("List"), at: syntax.range, hint: "write List<T> with one element type")
                type = .error
            }
        } else if let scalar = RuleType.parameterTypes[name] ?? Checker.otherTypes[name] {
            type = scalar
        } else {
            let candidates = Array(RuleType.parameterTypes.keys) + Array(Checker.otherTypes.keys) + ["List"]
            report(.unknownType(name), at: syntax.name.range, hint: didYouMean(name, among: candidates.sorted()))
            type = .error
        }
        return syntax.isOptional ? type.optional : type
    }

    static let otherTypes: [String: RuleType] = {
        var types: [String: RuleType] = ["ValueSet": .valueSet, "Timeline": .timeline]
        for kind in RecordKind.allCases { types[kind.rawValue] = .record(kind) }
        for kind in EnumKind.allCases { types[kind.rawValue] = .enumeration(kind) }
        return types
    }()
}
