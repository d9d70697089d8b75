import RxAdherence
import RxLanguage
import RxRecords
import RxValues

/// A compiled expression: reads the member through the context, returns a value.
typealias Eval = @Sendable (inout MemberContext) -> Value

/// A compiled expression kept in an array, dictionary or tuple. A closure stored directly in one
/// of those is kept in its most general calling convention and reached through conversion thunks
/// on every call; as a struct field it keeps its own.
struct Code: Sendable {
    let run: Eval
    init(_ run: @escaping Eval) { self.run = run }
    @inline(__always) func callAsFunction(_ context: inout MemberContext) -> Value { run(&context) }
}

extension Optional where Wrapped == Code {
    /// The code's closure, or one giving `fallback` (for an argument left out).
    func or(_ fallback: Value) -> Eval {
        if let code = self { return code.run }
        return { _ in fallback }
    }
}

/// The compiled code of a plan, shared by every evaluation (immutable after lowering).
final class Program: Sendable {
    let defines: [Code]
    let locals: [Code]
    let coveragePoints: Int
    /// Member caches of `history where` filters (see `HistoryFilter`).
    let historyFilterSlots: Int
    let fillPartSlots: Int
    let claimPartSlots: Int
    /// Element-independent parts of `where` conditions (`compileElementFilter`).
    let hoisted: [Code]

    init(defines: [Code], locals: [Code], coveragePoints: Int, historyFilterSlots: Int = 0, fillPartSlots: Int = 0,
         claimPartSlots: Int = 0, hoisted: [Code] = []) {
        self.hoisted = hoisted
        self.fillPartSlots = fillPartSlots
        self.claimPartSlots = claimPartSlots
        self.defines = defines
        self.locals = locals
        self.coveragePoints = coveragePoints
        self.historyFilterSlots = historyFilterSlots
    }
}

/// Per-call scratch of one member's evaluation: memoised defines, block locals, `where` elements.
///
/// One context per member and call: plans stay immutable, so concurrent calls on different
/// members share nothing mutable.
struct MemberContext {
    let program: Program
    let bindings: Bindings
    let records: RecordSet
    /// The member, by index into `records`: the context keeps no slices of the record arrays, whose
    /// storage every worker thread shares (retaining it per member made the cores contend).
    private(set) var memberIndex: Int
    private(set) var ranges: MemberRanges
    var fillRange: Range<Int> { ranges.fills }
    var medicalRange: Range<Int> { ranges.medicalClaims }
    var memberID: String { records.memberIDs[memberIndex] }
    /// The members.csv row, nil when the member appears only in other files.
    var member: Member? { records.members[memberIndex] }
    private var defineMemo: [Value?]
    private var localMemo: [Value?]
    /// The slots of the memo tables that hold a value: only these are cleared between members.
    private var definesSet: [Int32] = []
    private var localsSet: [Int32] = []
    /// Elements of the enclosing `where` filters, innermost last.
    var elements: [Value] = []
    /// The claim a claim rule is looking at; its `history` is the first `historyCount` paid fills.
    private(set) var this: Value = .missing
    private(set) var historyCount = 0
    /// `history` as a list, built only when read as a whole, once per claim.
    private var historyList: Value?
    /// Paid fills of the member as record references (built once).
    private var paidFills: Value?
    private var medicalList: Value?
    /// Per `history where` filter: positions of the paid fills that pass its claim-independent part.
    private var historyCandidates: [[Int32]?]
    /// Position in the paid fills of the fill a history filter is testing.
    var scanPosition = 0
    /// Parts of history conditions: per slot and paid-fill position (built per member on first
    /// use), and per slot for the current claim.
    private var fillParts: [[Value?]]
    private var claimParts: [Value?]
    /// Values of element-independent parts of `where` conditions in the current filter runs.
    private var hoistedValues: [Value?]
    private var paidInDateOrder: Bool?
    /// Buffers of the supply walk, reused by every timeline this context builds.
    var supplyScratch = SupplyScratch()
    /// Supply events of the timeline being built, reused likewise.
    var supplyEventScratch: [SupplyEvent] = []
    /// Coverage marks, when the caller asked for them (tests).
    var reached: [Bool]
    /// Records read so far by the value being computed; nil when evidence is off.
    var evidence: [RecordRef]?
    /// Above 0 while a `where` condition runs: records only looked at to filter are not evidence.
    var quiet = 0
    private var defineEvidence: [[RecordRef]]
    private var localEvidence: [[RecordRef]]

    init(program: Program, bindings: Bindings, records: RecordSet, member index: Int, trackCoverage: Bool) {
        self.program = program
        self.bindings = bindings
        self.records = records
        memberIndex = index
        ranges = records.ranges(at: index)
        defineMemo = Array(repeating: nil, count: program.defines.count)
        localMemo = Array(repeating: nil, count: program.locals.count)
        historyCandidates = Array(repeating: nil, count: program.historyFilterSlots)
        fillParts = Array(repeating: [], count: program.fillPartSlots)
        claimParts = Array(repeating: nil, count: program.claimPartSlots)
        hoistedValues = Array(repeating: nil, count: program.hoisted.count)
        reached = trackCoverage ? Array(repeating: false, count: program.coveragePoints) : []
        defineEvidence = []
        localEvidence = []
    }

    /// Points a reused context at the next member: everything member-specific is forgotten, and
    /// the memo tables are cleared in place, keeping their storage.
    mutating func begin(member index: Int) {
        memberIndex = index
        ranges = records.ranges(at: index)
        for index in definesSet { defineMemo[Int(index)] = nil }
        definesSet.removeAll(keepingCapacity: true)
        resetLocals()
        elements.removeAll(keepingCapacity: true)
        this = .missing
        historyCount = 0
        historyList = nil
        paidFills = nil
        medicalList = nil
        for index in historyCandidates.indices { historyCandidates[index] = nil }
        scanPosition = 0
        for index in fillParts.indices { fillParts[index].removeAll(keepingCapacity: true) }
        for index in claimParts.indices { claimParts[index] = nil }
        paidInDateOrder = nil
        for index in reached.indices { reached[index] = false }
        quiet = 0
        if evidence != nil {
            evidence = []
            for index in defineEvidence.indices { defineEvidence[index] = [] }
            for index in localEvidence.indices { localEvidence[index] = [] }
        }
    }

    /// Turns evidence collection on (a little slower: every record read is noted).
    mutating func collectEvidence() {
        evidence = []
        defineEvidence = Array(repeating: [], count: program.defines.count)
        localEvidence = Array(repeating: [], count: program.locals.count)
    }

    @inline(__always) mutating func note(_ record: RecordRef) {
        if quiet == 0, evidence != nil { evidence?.append(record) }
    }

    /// Runs `body` collecting evidence afresh; returns what it read and restores the outer list.
    private mutating func collecting(_ body: (inout MemberContext) -> Value) -> (Value, [RecordRef]) {
        let outer = evidence
        evidence = []
        let savedQuiet = quiet
        quiet = 0
        let value = body(&self)
        quiet = savedQuiet
        let found = RecordRef.compact(evidence ?? [])
        evidence = outer
        return (value, found)
    }

    /// A define's value, computed at most once per member.
    mutating func define(_ index: Int) -> Value {
        if let value = defineMemo[index] {
            if quiet == 0, evidence != nil { evidence?.append(contentsOf: defineEvidence[index]) }
            return value
        }
        guard evidence != nil else {
            let value = outsideFilters(program.defines[index].run)
            defineMemo[index] = value
            definesSet.append(Int32(index))
            return value
        }
        let (value, found) = collecting { context in context.outsideFilters(context.program.defines[index].run) }
        defineMemo[index] = value
        definesSet.append(Int32(index))
        defineEvidence[index] = found
        if quiet == 0 { evidence?.append(contentsOf: found) }
        return value
    }

    /// Runs a define's or local's code as it was compiled: outside any `where`. Its own filters
    /// address their elements from depth 0, so the elements of the filter that first read it
    /// (lazily, from inside its condition) must not be on the stack.
    private mutating func outsideFilters(_ body: Eval) -> Value {
        guard !elements.isEmpty else { return body(&self) }
        let enclosing = elements
        elements = []
        let value = body(&self)
        elements = enclosing
        return value
    }

    /// A block local (`let`, `gate`, earlier `value`), computed at most once per block run.
    mutating func local(_ index: Int) -> Value {
        if let value = localMemo[index] {
            if quiet == 0, evidence != nil { evidence?.append(contentsOf: localEvidence[index]) }
            return value
        }
        guard evidence != nil else {
            let value = outsideFilters(program.locals[index].run)
            localMemo[index] = value
            localsSet.append(Int32(index))
            return value
        }
        let (value, found) = collecting { context in context.outsideFilters(context.program.locals[index].run) }
        localMemo[index] = value
        localsSet.append(Int32(index))
        localEvidence[index] = found
        if quiet == 0 { evidence?.append(contentsOf: found) }
        return value
    }

    /// The records behind a block local already computed (empty when evidence is off).
    func evidence(ofLocal index: Int) -> [RecordRef] {
        localEvidence.indices.contains(index) ? localEvidence[index] : []
    }

    /// Evaluates `body` and returns the records it read (for values that are not locals, like a payout).
    mutating func withEvidence(_ body: (inout MemberContext) -> Value) -> (Value, [RecordRef]) {
        guard evidence != nil else { return (body(&self), []) }
        return collecting(body)
    }

    /// Binds a block local to a known value (a `for each` row), with the records it came from.
    mutating func setLocal(_ index: Int, _ value: Value, evidence found: [RecordRef]) {
        if localMemo[index] == nil { localsSet.append(Int32(index)) }
        localMemo[index] = value
        if evidence != nil { localEvidence[index] = found }
    }

    /// Forgets block locals (a new claim of a claim rule, a new block).
    mutating func resetLocals() {
        for index in localsSet { localMemo[Int(index)] = nil }
        localsSet.removeAll(keepingCapacity: true)
    }

    @inline(__always) mutating func mark(_ point: Int) {
        if !reached.isEmpty { reached[point] = true }
    }

    /// Points the claim context at a claim preceded by `historyCount` paid fills (none: `.missing`, 0).
    mutating func setClaim(_ claim: Value, historyCount: Int) {
        this = claim
        self.historyCount = historyCount
        historyList = nil
    }

    /// The paid fills before the current claim.
    mutating func claimHistory() -> Value {
        if let historyList { return historyList }
        guard case .list(let all) = fills() else { return .list([]) }
        let value = Value.list(Array(all[0..<min(historyCount, all.count)]))
        historyList = value
        return value
    }

    /// A history filter's member cache, computed by `compute` on first use.
    mutating func historyCandidates(_ slot: Int, _ compute: (inout MemberContext) -> [Int32]) -> [Int32] {
        if let cached = historyCandidates[slot] { return cached }
        let computed = compute(&self)
        historyCandidates[slot] = computed
        return computed
    }

    /// Whether the member's paid fills are in date order (the loader sorts them; a test member
    /// may not be), checked once.
    mutating func paidFillsInDateOrder() -> Bool {
        if let paidInDateOrder { return paidInDateOrder }
        var ordered = true
        var previous: Day?
        if case .list(let all) = fills() {
            for fill in all {
                guard let day = fillDate(fill) else { ordered = false; break }
                if let previous, day < previous { ordered = false; break }
                previous = day
            }
        }
        paidInDateOrder = ordered
        return ordered
    }

    /// The fill date of a `.fill` value (what the field `fill_date` reads).
    func fillDate(_ fill: Value) -> Day? {
        guard case .fill(let index) = fill, records.fills.indices.contains(Int(index)) else { return nil }
        return records.fills[Int(index)].fillDate
    }

    /// A part of a history condition that reads only the fill being tested.
    @inline(__always)
    mutating func fillPart(_ slot: Int, _ body: Eval) -> Value {
        if fillParts[slot].isEmpty, case .list(let all) = fills() {
            fillParts[slot] = Array(repeating: nil, count: all.count)
        }
        guard fillParts[slot].indices.contains(scanPosition) else { return body(&self) }
        if let value = fillParts[slot][scanPosition] { return value }
        let value = body(&self)
        fillParts[slot][scanPosition] = value
        return value
    }

    /// A part of a history condition that reads only the claim.
    @inline(__always)
    mutating func claimPart(_ slot: Int, _ body: Eval) -> Value {
        if let value = claimParts[slot] { return value }
        let value = body(&self)
        claimParts[slot] = value
        return value
    }

    /// An element-independent part of a `where` condition, computed once per run of its filter.
    @inline(__always)
    mutating func hoisted(_ slot: Int) -> Value {
        if let value = hoistedValues[slot] { return value }
        let value = program.hoisted[slot](&self)
        hoistedValues[slot] = value
        return value
    }

    /// A filter's element-independent parts, before it runs.
    @inline(__always)
    mutating func forgetHoisted(_ slots: Range<Int>) {
        for slot in slots { hoistedValues[slot] = nil }
    }

    /// A history filter's claim parts, before it runs for a claim.
    mutating func forgetClaimParts(_ slots: Range<Int>) {
        for slot in slots { claimParts[slot] = nil }
    }

    /// The member's paid fills (reversals were already applied by the loader).
    mutating func fills() -> Value {
        if let value = paidFills { return value }
        var list: [Value] = []
        list.reserveCapacity(ranges.fills.count)
        for index in ranges.fills where records.fills[index].status == .paid {
            list.append(.fill(Int32(index)))
        }
        let value = Value.list(list)
        paidFills = value
        return value
    }

    /// The member's medical claims (built once).
    mutating func medical() -> Value {
        if let medicalList { return medicalList }
        let value = Value.list(ranges.medicalClaims.map { .medical(Int32($0)) })
        medicalList = value
        return value
    }
    func observations() -> Value { .list(ranges.observations.map { .observation(Int32($0)) }) }
    func enrollment() -> Value { .list(ranges.enrollments.map { .enrollment(Int32($0)) }) }
}

/// Constants of a plan bound to one record set's code table: parameters, value-set membership,
/// column lookups and drug keys.
struct Bindings: Sendable {
    var parameters: [Value]
    var valueSets: [BoundValueSet]
    var currency: String
}

/// One value set resolved against a code table: membership is a bit test for interned codes.
///
/// A class so reading it in the hot path costs one retain, not one per table.
final class BoundValueSet: Sendable {
    let name: String
    let source: CheckedValueSetCopy
    /// Bit per CodeID of the table it was bound to.
    let bits: [UInt64]
    /// Columns in the order of their sorted names (`BoundColumn.position`), by code id.
    let columns: [BoundColumn]
    /// Per column (in `columns` order): code id → dense key of the value (for `drug:`); a code
    /// listed under several values (a combination product) keys on its first one here ...
    let drugKeys: [DrugKeyMap]
    /// ... and on the others here (empty for most value sets).
    let combinationKeys: [CombinationKeyMap]

    init(name: String, source: CheckedValueSetCopy, bits: [UInt64], columns: [BoundColumn],
         drugKeys: [DrugKeyMap], combinationKeys: [CombinationKeyMap]) {
        self.name = name
        self.source = source
        self.bits = bits
        self.columns = columns
        self.drugKeys = drugKeys
        self.combinationKeys = combinationKeys
    }

    func contains(_ id: CodeID) -> Bool {
        let index = Int(id)
        guard index >= 0, index / 64 < bits.count else { return false }
        return bits[index / 64] & (1 << UInt64(index % 64)) != 0
    }

    /// Membership of a code written as text (test literals, parameters).
    func contains(text: String) -> Bool {
        let normalized = source.normalize(text)
        if source.codes.contains(normalized) { return true }
        return source.prefixes.contains { normalized.hasPrefix($0) }
    }
}

/// Code id → drug key of one value-set column, as sorted parallel arrays: a lookup per fill is a
/// binary search over the set's codes, not a hashed dictionary probe. A class, so that taking it
/// for a timeline costs one retain, not one per array.
final class DrugKeyMap: Sendable {
    private let ids: [CodeID]
    private let keys: [Int32]

    init(_ map: [CodeID: Int32]) {
        let sorted = map.sorted { $0.key < $1.key }
        ids = sorted.map(\.key)
        keys = sorted.map(\.value)
    }

    func key(of id: CodeID) -> Int32? { bisect(id, in: ids).map { keys[$0] } }
}

/// Code id → the further drug keys of a combination product, as sorted arrays (a bisection per
/// fill, no hashing; most value sets have none). A class, like `DrugKeyMap`.
final class CombinationKeyMap: Sendable {
    private let ids: [CodeID]
    /// Keys of `ids[i]` are `keys[offsets[i] ..< offsets[i + 1]]`.
    private let offsets: [Int]
    private let keys: [Int32]

    init(_ map: [CodeID: [Int32]]) {
        let sorted = map.sorted { $0.key < $1.key }
        ids = sorted.map(\.key)
        var offsets = [0]
        var keys: [Int32] = []
        for (_, others) in sorted {
            keys += others
            offsets.append(keys.count)
        }
        self.offsets = offsets
        self.keys = keys
    }

    var isEmpty: Bool { ids.isEmpty }

    func keys(of id: CodeID) -> ArraySlice<Int32>? {
        bisect(id, in: ids).map { keys[offsets[$0]..<offsets[$0 + 1]] }
    }
}

/// Where `id` is in ascending `ids`, by bisection; nil when absent.
@inline(__always) func bisect(_ id: CodeID, in ids: [CodeID]) -> Int? {
    var low = 0, high = ids.count
    while low < high {
        let middle = (low + high) / 2
        if ids[middle] < id { low = middle + 1 } else { high = middle }
    }
    return low < ids.count && ids[low] == id ? low : nil
}

/// One value-set column bound to a code table: code ids ascending with their values, found by
/// bisection (no hashing on the per-claim path).
struct BoundColumn: Sendable {
    var ids: [CodeID] = []
    var values: [Value] = []

    /// Where a lowered column lookup finds `column` among a value set's bound columns.
    static func position(of column: String, in set: CheckedValueSet) -> Int? {
        set.columns.keys.sorted().firstIndex(of: column)
    }

    func value(of id: CodeID) -> Value? { bisect(id, in: ids).map { values[$0] } }
}

/// The parts of a checked value set the runtime needs.
struct CheckedValueSetCopy: Sendable {
    var codes: Set<String>
    var prefixes: [String]
    var columns: [String: [String: [String]]]
    var system: String?

    /// Codes are stored without dots (ICD) and NDCs as 11 digits: the value set's own system decides.
    func normalize(_ text: String) -> String {
        if let system = system.flatMap(CodeSystem.init(rawValue:)), let normalized = system.normalize(text) {
            return normalized
        }
        return text.filter { $0 != "." }
    }
}

/// A record behind a value: a pharmacy or medical claim by its index in the record set.
public struct RecordRef: Hashable, Comparable, Sendable {
    public enum Kind: UInt8, Sendable { case fill, medical }
    public var kind: Kind
    public var index: Int32

    public static func < (lhs: RecordRef, rhs: RecordRef) -> Bool {
        (lhs.kind.rawValue, lhs.index) < (rhs.kind.rawValue, rhs.index)
    }

    /// Sorted, without repeats.
    static func compact(_ refs: [RecordRef]) -> [RecordRef] {
        guard refs.count > 1 else { return refs }
        var sorted = refs.sorted()
        var kept = 1
        for index in 1..<sorted.count where sorted[index] != sorted[kept - 1] {
            sorted[kept] = sorted[index]
            kept += 1
        }
        sorted.removeLast(sorted.count - kept)
        return sorted
    }
}
