import RxLanguage

/// `history where C` of a claim rule, compiled to scan the member's paid fills up to the claim
/// instead of filtering a fresh copy of its history for every claim.
///
/// When C is plain (no `if`, define, local, native call or nested `where`: nothing that marks
/// coverage, counts failures or depends on when it runs), the order C is evaluated in cannot be
/// observed, so:
/// - the conjuncts of C that read neither `this` nor `history` are evaluated once per member over
///   all paid fills, and each claim only tests the remaining conjuncts on the fills that passed;
/// - within the per-claim conjuncts, a part that reads the fill but not the claim is computed at
///   most once per member and fill, and a part that reads the claim but not the fill once per claim;
/// - a conjunct `fill_date >= E` (or `>`) with E read from the claim skips, by bisection, the
///   earlier fills it rejects for certain (paid fills are in date order; checked per member);
/// - `last`, `first` and `any` of the filter stop at the first fill that passes (from the end for
///   `last`).
///
/// A condition that is not plain is evaluated on every earlier fill in order, as written.
struct HistoryFilter: Sendable {
    enum Mode: Sendable { case all, first, last, any }

    /// Conjuncts tested per claim (the whole condition when it is not plain).
    let perClaim: [Code]
    /// Conjuncts that do not depend on the claim, with the member's cache slot; nil when none.
    let perMember: (slot: Int, conjuncts: [Code])?
    let isPlain: Bool
    /// Slots of the parts computed once per claim, forgotten at each run.
    let claimSlots: Range<Int>
    /// The lower date bound of a `fill_date >= E` conjunct (still tested: this only skips).
    var window: (bound: Eval, strict: Bool)?

    /// The filter's result for the current claim.
    func run(_ mode: Mode, _ context: inout MemberContext) -> Value {
        context.forgetClaimParts(claimSlots)
        let count = context.historyCount
        guard case .list(let fills) = context.fills() else { return .missing }
        // Fills before `start` fail the window conjunct.
        var start = 0
        if let window, case .date(let bound) = window.bound(&context), context.paidFillsInDateOrder() {
            var high = min(count, fills.count)
            while start < high {
                let middle = (start + high) / 2
                let day = context.fillDate(fills[middle])
                if let day, window.strict ? day > bound : day >= bound { high = middle } else { start = middle + 1 }
            }
        }
        if let perMember {
            let candidates = context.historyCandidates(perMember.slot) { context in
                Self.passing(perMember.conjuncts, of: fills, in: 0..<fills.count, &context)
            }
            // Candidates are ascending positions: those before the claim are a prefix.
            let first = Self.partition(candidates) { Int($0) < start }
            let end = Self.partition(candidates) { Int($0) < count }
            return scan(mode, fills, positions: candidates[first..<max(first, end)].lazy.map { Int($0) }, &context)
        }
        return scan(mode, fills, positions: start..<max(start, min(count, fills.count)), &context)
    }

    /// The first index of ascending `positions` where `before` stops holding.
    private static func partition(_ positions: [Int32], _ before: (Int32) -> Bool) -> Int {
        var low = 0, high = positions.count
        while low < high {
            let middle = (low + high) / 2
            if before(positions[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func scan<Positions: BidirectionalCollection>(
        _ mode: Mode, _ fills: [Value], positions: Positions, _ context: inout MemberContext
    ) -> Value where Positions.Element == Int {
        switch mode {
        case .all:
            var kept: [Value] = []
            for position in positions where Self.holds(perClaim, fills, position, &context) { kept.append(fills[position]) }
            return .list(kept)
        case .first, .any:
            for position in positions where Self.holds(perClaim, fills, position, &context) {
                return mode == .any ? .bool(true) : fills[position]
            }
            return mode == .any ? .bool(false) : .missing
        case .last:
            for position in positions.reversed() where Self.holds(perClaim, fills, position, &context) {
                return fills[position]
            }
            return .missing
        }
    }

    /// Positions of the fills in `range` for which every conjunct is true.
    private static func passing(_ conjuncts: [Code], of fills: [Value], in range: Range<Int>,
                                _ context: inout MemberContext) -> [Int32] {
        var kept: [Int32] = []
        for position in range where holds(conjuncts, fills, position, &context) { kept.append(Int32(position)) }
        return kept
    }

    /// Every conjunct is true for the fill at `position` (an `and` chain is true exactly then).
    @inline(__always)
    private static func holds(_ conjuncts: [Code], _ fills: [Value], _ position: Int, _ context: inout MemberContext) -> Bool {
        context.elements.append(fills[position])
        context.scanPosition = position
        context.quiet += 1
        defer {
            context.quiet -= 1
            context.elements.removeLast()
        }
        for conjunct in conjuncts {
            guard case .bool(true) = conjunct(&context) else { return false }
        }
        return true
    }
}

extension Lowering {
    /// `history`, possibly in parentheses.
    func isHistory(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .parenthesized(let inner): return isHistory(inner)
        case .name: return pack.resolutions[expr.range] == .claimContext("history")
        default: return false
        }
    }

    /// `history where C` written directly (possibly in parentheses) outside any other `where`.
    func historyFilterCondition(_ expr: Expr) -> Expr? {
        guard elementTypes.isEmpty else { return nil }
        switch expr.kind {
        case .parenthesized(let inner): return historyFilterCondition(inner)
        case .filter(let list, let condition) where isHistory(list): return condition
        default: return nil
        }
    }

    mutating func compileHistoryFilter(_ condition: Expr) throws(EngineError) -> HistoryFilter {
        elementTypes.append(.record(.fill))
        defer { elementTypes.removeLast() }
        guard isPlain(condition) else {
            return HistoryFilter(perClaim: [Code(try compile(condition))], perMember: nil, isPlain: false, claimSlots: 0..<0, window: nil)
        }
        var perClaim: [Code] = [], perMember: [Code] = []
        var window: (bound: Eval, strict: Bool)?
        let firstClaimSlot = claimPartSlots
        for conjunct in conjuncts(of: condition) {
            if window == nil, case .binary(let op, let left, let right, _) = conjunct.kind, op == .greaterOrEqual || op == .greater,
               case .name = left.kind, pack.resolutions[left.range] == .elementField("fill_date"),
               readsClaim(right), !readsElement(right) {
                splittingParts = true
                defer { splittingParts = false }
                window = (try compile(right), op == .greater)
            }
            if readsClaim(conjunct) {
                splittingParts = true
                defer { splittingParts = false }
                perClaim.append(Code(try compile(conjunct)))
            } else {
                perMember.append(Code(try compile(conjunct)))
            }
        }
        let claimSlots = firstClaimSlot..<claimPartSlots
        guard !perMember.isEmpty else {
            return HistoryFilter(perClaim: perClaim, perMember: nil, isPlain: true, claimSlots: claimSlots, window: window)
        }
        historyFilterSlots += 1
        return HistoryFilter(
            perClaim: perClaim, perMember: (historyFilterSlots - 1, perMember), isPlain: true, claimSlots: claimSlots, window: window)
    }

    /// Inside a per-claim conjunct of a plain history filter: a compound part that reads only the
    /// fill is cached per member and fill, one that reads only the claim is cached per claim.
    mutating func compileSplitPart(_ expr: Expr) throws(EngineError) -> Eval? {
        switch expr.kind {
        case .name, .integer, .decimal, .money, .date, .string, .boolean, .parenthesized: return nil
        default: break
        }
        let claim = readsClaim(expr), element = readsElement(expr)
        guard claim != element else { return nil }
        splittingParts = false
        defer { splittingParts = true }
        let inner = try compile(expr)
        if element {
            fillPartSlots += 1
            let slot = fillPartSlots - 1
            return { context in context.fillPart(slot, inner) }
        }
        claimPartSlots += 1
        let slot = claimPartSlots - 1
        return { context in context.claimPart(slot, inner) }
    }

    /// Reads a field of the element or the element itself.
    func readsElement(_ expr: Expr) -> Bool {
        if case .name = expr.kind {
            switch pack.resolutions[expr.range] {
            case .elementField?, .element?: return true
            default: return false
            }
        }
        // `overlaps(period)` reads the element's period implicitly.
        if case .call = expr.kind, case .builtin("overlaps", _)? = pack.resolutions[expr.range] { return true }
        return childExpressions(of: expr).contains { readsElement($0) }
    }

    /// The operands of an `and` chain, parentheses removed.
    private func conjuncts(of expr: Expr) -> [Expr] {
        switch expr.kind {
        case .parenthesized(let inner): return conjuncts(of: inner)
        case .binary(.and, let left, let right, _): return conjuncts(of: left) + conjuncts(of: right)
        default: return [expr]
        }
    }

    /// Reads `this` or `history`.
    private func readsClaim(_ expr: Expr) -> Bool {
        if case .claimContext? = pack.resolutions[expr.range], case .name = expr.kind { return true }
        return childExpressions(of: expr).contains { readsClaim($0) }
    }

    /// No `if` (coverage marks), define or local (their code may mark, and runs once), native call
    /// (failures are counted) or nested `where`: evaluating it more, less or in another order
    /// changes nothing but time.
    private func isPlain(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .conditional, .filter, .missing, .error: return false
        case .name:
            switch pack.resolutions[expr.range] {
            case .define?, .local?, .output?, nil: return false
            default: return true
            }
        case .call:
            if case .native? = pack.resolutions[expr.range] { return false }
        default: break
        }
        return childExpressions(of: expr).allSatisfy { isPlain($0) }
    }

    func childExpressions(of expr: Expr) -> [Expr] {
        switch expr.kind {
        case .name, .integer, .decimal, .money, .date, .string, .boolean, .missing, .error: []
        case .list(let items): items
        case .parenthesized(let inner), .unary(_, let inner, _), .member(let inner, _), .exists(let inner),
             .isMissing(let inner), .duration(let inner, _, _): [inner]
        case .binary(_, let left, let right, _), .filter(let left, let right): [left, right]
        case .conditional(let test, let then, let otherwise): [test, then, otherwise]
        // The callee is a function name, resolved on the call itself.
        case .call(_, let arguments): arguments.map(\.value)
        }
    }
}
