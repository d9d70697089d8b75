import Dispatch
import Foundation
import RxValues

/// All records of one member, in deterministic order: by date, then claim id.
///
/// Slices share the record set's storage: building a history copies nothing.
public struct MemberHistory: Sendable {
    public var index: MemberIndex
    public var memberID: String
    /// The members.csv row, nil when the member appears only in other files.
    public var member: Member?
    public var enrollments: ArraySlice<Enrollment>
    public var fills: ArraySlice<PharmacyClaim>
    public var medicalClaims: ArraySlice<MedicalClaim>
    public var observations: ArraySlice<Observation>
    /// The claim-id arena the fills point into (shared storage, not a copy).
    public var claimIDBytes: [UInt8]

    /// The claim id of one of this history's fills.
    public func claimID(of fill: PharmacyClaim) -> String {
        String(decoding: claimIDBytes[fill.claimIDRange], as: UTF8.self)
    }

    /// The prescription number of one of this history's fills, nil when absent.
    public func rxNumber(of fill: PharmacyClaim) -> String? {
        fill.rxNumberLength == 0 ? nil : String(decoding: claimIDBytes[fill.rxNumberRange], as: UTF8.self)
    }
}

/// One member's positions in each record array of a `RecordSet`.
public struct MemberRanges: Sendable, Equatable {
    public var enrollments: Range<Int>
    public var fills: Range<Int>
    public var medicalClaims: Range<Int>
    public var observations: Range<Int>
}

/// Records grouped by member: members sorted by member_id, each kind stored contiguously per member.
public struct RecordSet: Sendable {
    /// Interned codes: NDCs, diagnosis and procedure codes, plan ids, LOINC codes, units, text values.
    public internal(set) var codes: CodeTable
    /// member_id of each member index, ascending.
    public internal(set) var memberIDs: [String]
    /// members.csv row of each member index, nil when absent.
    public internal(set) var members: [Member?]
    public internal(set) var enrollments: [Enrollment]
    public internal(set) var fills: [PharmacyClaim]
    public internal(set) var medicalClaims: [MedicalClaim]
    public internal(set) var observations: [Observation]
    /// Diagnosis and procedure code ids of medical claims.
    public internal(set) var codePool: [CodeID]
    /// Claim id bytes of the fills (`PharmacyClaim.claimIDRange`).
    public internal(set) var claimIDBytes: [UInt8]
    /// `starts[kind][m] ..< starts[kind][m + 1]` are member m's records of that kind.
    var enrollmentStarts: [Int32]
    var fillStarts: [Int32]
    var medicalStarts: [Int32]
    var observationStarts: [Int32]

    /// Number of members (any member_id seen in any file).
    public var memberCount: Int { memberIDs.count }

    /// The history of member `index` (0..<memberCount).
    public func history(at index: Int) -> MemberHistory {
        func range(_ starts: [Int32]) -> Range<Int> { Int(starts[index])..<Int(starts[index + 1]) }
        return MemberHistory(
            index: MemberIndex(index), memberID: memberIDs[index], member: members[index],
            enrollments: enrollments[range(enrollmentStarts)], fills: fills[range(fillStarts)],
            medicalClaims: medicalClaims[range(medicalStarts)], observations: observations[range(observationStarts)],
            claimIDBytes: claimIDBytes)
    }

    /// Where member `index`'s records of each kind lie in the record arrays. Unlike `history(at:)`
    /// it makes no slices, so it retains nothing (evaluation reads records by index).
    public func ranges(at index: Int) -> MemberRanges {
        func range(_ starts: [Int32]) -> Range<Int> { Int(starts[index])..<Int(starts[index + 1]) }
        return MemberRanges(enrollments: range(enrollmentStarts), fills: range(fillStarts),
                            medicalClaims: range(medicalStarts), observations: range(observationStarts))
    }

    /// The claim id of a fill.
    public func claimID(of fill: PharmacyClaim) -> String {
        String(decoding: claimIDBytes[fill.claimIDRange], as: UTF8.self)
    }

    /// The prescription number of a fill, nil when absent.
    public func rxNumber(of fill: PharmacyClaim) -> String? {
        fill.rxNumberLength == 0 ? nil : String(decoding: claimIDBytes[fill.rxNumberRange], as: UTF8.self)
    }

    /// Calls `body` for each member in `range` (default all), in member_id order. Disjoint ranges
    /// can run on different threads: a `RecordSet` is an immutable value.
    public func forEachMember(in range: Range<Int>? = nil, _ body: (MemberHistory) throws -> Void) rethrows {
        for index in range ?? 0..<memberCount { try body(history(at: index)) }
    }

    /// All histories in member_id order.
    public var histories: LazyMapSequence<Range<Int>, MemberHistory> { (0..<memberCount).lazy.map { history(at: $0) } }

    /// Splits the members into `parts` contiguous ranges of similar claim counts, for parallel evaluation.
    public func memberRanges(parts: Int) -> [Range<Int>] {
        guard memberCount > 0, parts > 1 else { return [0..<memberCount] }
        let total = fills.count + medicalClaims.count + memberCount
        var ranges: [Range<Int>] = []
        var lower = 0
        for part in 1...parts {
            let target = total * part / parts
            var upper = lower
            while upper < memberCount, Int(fillStarts[upper]) + Int(medicalStarts[upper]) + upper < target { upper += 1 }
            if part == parts { upper = memberCount }
            if upper > lower { ranges.append(lower..<upper) }
            lower = upper
        }
        return ranges
    }

    /// Diagnosis code ids of a medical claim, principal first.
    public func diagnoses(of claim: MedicalClaim) -> ArraySlice<CodeID> { codePool[claim.diagnosisRange] }
    /// Procedure code ids of a medical claim.
    public func procedures(of claim: MedicalClaim) -> ArraySlice<CodeID> { codePool[claim.procedureRange] }

    /// Approximate bytes of records, indexes and code tables in use (reserved but untouched capacity
    /// is not resident and not counted; out-of-line strings longer than 15 bytes are not counted).
    public var residentBytes: Int {
        fills.count * MemoryLayout<PharmacyClaim>.stride
            + medicalClaims.count * MemoryLayout<MedicalClaim>.stride
            + enrollments.count * MemoryLayout<Enrollment>.stride
            + observations.count * MemoryLayout<Observation>.stride
            + codePool.count * 4 + claimIDBytes.count + codes.residentBytes
            + (enrollmentStarts.capacity + fillStarts.capacity + medicalStarts.capacity + observationStarts.capacity) * 4
            + memberIDs.capacity * 16 + members.capacity * MemoryLayout<Member?>.stride
    }
}

/// Medical claims being grouped by a worker thread, handed back through `DispatchGroup.wait`
/// (which orders the worker's writes before the reads), hence unchecked.
private final class MedicalGrouping: @unchecked Sendable {
    var records: [MedicalClaim]
    var starts: [Int32] = []

    init(records: [MedicalClaim]) { self.records = records }
}

/// What grouping found besides the records: reversal pairs and orphan reversals.
struct GroupingOutcome {
    /// Cancelled rows per source file index (both halves of each pair).
    var cancelledByFile: [UInt16: Int] = [:]
    /// Orphan reversals as (source file index, line, claim id).
    var orphans: [(file: UInt16, line: Int32, claimID: String)] = []
}

extension RecordSet {
    /// Groups decoded buffers by member: sorts member ids, reorders every kind in place by a counting
    /// sort on member (plus one Int32 per record while it runs), sorts each member's slice by date and
    /// claim id, and cancels reversal pairs.
    static func group(_ buffers: consuming RecordBuffers) -> (RecordSet, GroupingOutcome) {
        var buffers = buffers
        let loadCount = buffers.memberIDs.count
        var loadIDs: [String] = []
        loadIDs.reserveCapacity(loadCount)
        for id in 0..<loadCount { loadIDs.append(buffers.memberIDs[CodeID(id)]) }
        // Byte order of member ids, so the order never depends on Unicode collation.
        // Members first seen in member_id order (a file written member by member) need no sort; the
        // member id table knows when they were.
        var seenInOrder = true
        if !buffers.memberIDs.isInByteOrder {
            for load in (0..<loadCount).dropFirst() where !loadIDs[load - 1].utf8.lexicographicallyPrecedes(loadIDs[load].utf8) {
                seenInOrder = false
                break
            }
        }
        let sortedLoad = seenInOrder ? Array(0..<loadCount)
            : (0..<loadCount).sorted { loadIDs[$0].utf8.lexicographicallyPrecedes(loadIDs[$1].utf8) }
        var ranks = [Int32](repeating: 0, count: loadCount)
        for (position, load) in sortedLoad.enumerated() { ranks[load] = Int32(position) }
        let rank = ranks
        ranks = []
        let rankIsIdentity = seenInOrder
        // In order, the load's ids are the sorted ids: share them (no copy, and no release of every
        // string when `loadIDs` goes).
        let memberIDs = seenInOrder ? loadIDs : sortedLoad.map { loadIDs[$0] }
        var members = [Member?](repeating: nil, count: loadCount)
        for (load, row) in buffers.memberRow.enumerated() where row >= 0 {
            members[Int(rank[load])] = buffers.members[Int(row)]
        }
        buffers.members = []
        loadIDs = []

        @Sendable func reorder<Record>(_ records: inout [Record], member: (Record) -> Int32, setMember: (inout Record, Int32) -> Void,
                                       tryInOrder: Bool = true, precedes: (Record, Record) -> Bool) -> [Int32] {
            var starts = [Int32](repeating: 0, count: loadCount + 1)
            // Members first seen in member_id order keep their ids (the rank is the identity): one
            // read-only pass counts them and checks both orders; records already in order (a file
            // written member by member, by date) are then grouped without writing to them.
            if rankIsIdentity && tryInOrder {
                var inOrder = true
                records.withUnsafeBufferPointer { buffer in
                    var previous: Int32 = -1
                    for index in buffer.indices {
                        let m = member(buffer[index])
                        starts[Int(m) + 1] += 1
                        if m < previous || (m == previous && inOrder && precedes(buffer[index], buffer[index - 1])) {
                            inOrder = false
                        }
                        previous = m
                    }
                }
                for m in 0..<loadCount { starts[m + 1] += starts[m] }
                if inOrder { return starts }
                for index in starts.indices { starts[index] = 0 }
            }
            for index in records.indices {
                let m = rank[Int(member(records[index]))]
                setMember(&records[index], m)
                starts[Int(m) + 1] += 1
            }
            for m in 0..<loadCount { starts[m + 1] += starts[m] }
            // Inputs written member by member in member_id order need no permutation (nor its memory).
            var inMemberOrder = true
            for index in records.indices.dropFirst() where member(records[index]) < member(records[index - 1]) {
                inMemberOrder = false
                break
            }
            if !inMemberOrder { permute(&records, starts: starts, member: member) }
            for m in 0..<loadCount {
                let range = Int(starts[m])..<Int(starts[m + 1])
                guard range.count > 1 else { continue }
                // Inputs written member by member are usually in date order already: check first.
                var sorted = true
                for index in range.dropFirst() where precedes(records[index], records[index - 1]) { sorted = false; break }
                if !sorted { records[range].sort(by: precedes) }
            }
            return starts
        }

        @Sendable func permute<Record>(_ records: inout [Record], starts: [Int32], member: (Record) -> Int32) {
            var next = starts
            var destination = [Int32](repeating: 0, count: records.count)
            for index in records.indices {
                let m = Int(member(records[index]))
                destination[index] = next[m]
                next[m] += 1
            }
            // Apply the permutation in place by following cycles.
            records.withUnsafeMutableBufferPointer { buffer in
                destination.withUnsafeMutableBufferPointer { dest in
                    for index in 0..<buffer.count {
                        while Int(dest[index]) != index {
                            let target = Int(dest[index])
                            buffer.swapAt(index, target)
                            dest.swapAt(index, target)
                        }
                    }
                }
            }
        }

        // Medical claims are grouped by a worker meanwhile (their own array, the shared ranks read only).
        let medical = MedicalGrouping(records: buffers.medicalClaims)
        buffers.medicalClaims = []
        let worker = DispatchGroup()
        DispatchQueue.global().async(group: worker) {
            medical.starts = reorder(&medical.records, member: \.member, setMember: { $0.member = $1 }) { a, b in
                if a.period.start != b.period.start { return a.period.start < b.period.start }
                if a.claimID != b.claimID { return a.claimID.utf8.lexicographicallyPrecedes(b.claimID.utf8) }
                return (a.sourceFile, a.line) < (b.sourceFile, b.line)
            }
        }
        let claimIDBytes = buffers.claimIDBytes
        // Large pharmacy files already grouped and sorted (members in member_id order) are checked
        // on every core; anything else goes through `reorder`.
        let checksInParts = rankIsIdentity && buffers.fills.count >= 1 << 20
        let checkedInOrder = checksInParts
            ? fillStartsIfInOrder(buffers.fills, claimIDs: claimIDBytes, memberCount: loadCount) : nil
        // When the parts found disorder, `reorder` does not check the order a second time.
        var fillStarts = checkedInOrder ?? claimIDBytes.withUnsafeBufferPointer { ids in
            reorder(&buffers.fills, member: \.member, setMember: { $0.member = $1 }, tryInOrder: !checksInParts) { a, b in
                fillPrecedes(a, b, claimIDs: ids)
            }
        }
        let enrollmentStarts = reorder(&buffers.enrollments, member: \.member, setMember: { $0.member = $1 }) { a, b in
            if a.period.start != b.period.start { return a.period.start < b.period.start }
            if a.period.end != b.period.end { return a.period.end < b.period.end }
            return a.line < b.line
        }
        let observationStarts = reorder(&buffers.observations, member: \.member, setMember: { $0.member = $1 }) { a, b in
            if a.date != b.date { return a.date < b.date }
            if a.code != b.code { return a.code < b.code }
            return (a.sourceFile, a.line) < (b.sourceFile, b.line)
        }
        var outcome = GroupingOutcome()
        cancelReversals(&buffers.fills, starts: &fillStarts, claimIDs: claimIDBytes, outcome: &outcome)
        worker.wait()
        buffers.medicalClaims = medical.records
        medical.records = []
        let medicalStarts = medical.starts

        let set = RecordSet(
            codes: buffers.codes, memberIDs: memberIDs, members: members, enrollments: buffers.enrollments,
            fills: buffers.fills, medicalClaims: buffers.medicalClaims, observations: buffers.observations,
            codePool: buffers.codePool, claimIDBytes: claimIDBytes, enrollmentStarts: enrollmentStarts, fillStarts: fillStarts,
            medicalStarts: medicalStarts, observationStarts: observationStarts)
        return (set, outcome)
    }

    /// Order of a member's pharmacy claims: date, claim id bytes, paid before reversed, then source line.
    @inline(__always)
    static func fillPrecedes(_ a: PharmacyClaim, _ b: PharmacyClaim, claimIDs: UnsafeBufferPointer<UInt8>) -> Bool {
        if a.fillDate != b.fillDate { return a.fillDate < b.fillDate }
        let order = compareBytes(claimIDs, a.claimIDRange, b.claimIDRange)
        if order != 0 { return order < 0 }
        if a.status != b.status { return a.status == .paid }
        return (a.sourceFile, a.line) < (b.sourceFile, b.line)
    }

    /// `reorder`'s read-only pass over pharmacy claims whose members keep their ids, one part per
    /// core: the member starts when the claims are grouped by member in order and sorted within
    /// each member, else nil.
    static func fillStartsIfInOrder(_ fills: [PharmacyClaim], claimIDs: [UInt8], memberCount: Int,
                                    parts: Int? = nil) -> [Int32]? {
        let partCount = max(1, parts ?? min(ProcessInfo.processInfo.activeProcessorCount, 8))
        var counts = [[Int32]](repeating: [], count: partCount)
        var ordered = [Bool](repeating: true, count: partCount)
        fills.withUnsafeBufferPointer { buffer in
            claimIDs.withUnsafeBufferPointer { ids in
                counts.withUnsafeMutableBufferPointer { countBuffer in
                    ordered.withUnsafeMutableBufferPointer { orderedBuffer in
                        let shared = OrderCheck(fills: buffer, claimIDs: ids, counts: countBuffer, ordered: orderedBuffer)
                        DispatchQueue.concurrentPerform(iterations: partCount) { part in
                            let lower = shared.fills.count * part / partCount
                            let upper = shared.fills.count * (part + 1) / partCount
                            var local = [Int32](repeating: 0, count: memberCount + 1)
                            // The claim before the part is compared too: parts join without a gap.
                            var previous: Int32 = lower > 0 ? shared.fills[lower - 1].member : -1
                            for index in lower..<upper {
                                let m = shared.fills[index].member
                                if m < previous || (m == previous && fillPrecedes(
                                    shared.fills[index], shared.fills[index - 1], claimIDs: shared.claimIDs)) {
                                    shared.ordered[part] = false
                                    return
                                }
                                guard Int(m) < memberCount, m >= 0 else { shared.ordered[part] = false; return }
                                local[Int(m) + 1] += 1
                                previous = m
                            }
                            shared.counts[part] = local
                        }
                    }
                }
            }
        }
        guard ordered.allSatisfy({ $0 }) else { return nil }
        var starts = counts[0]
        for part in counts.dropFirst() {
            for index in starts.indices { starts[index] += part[index] }
        }
        for m in 0..<memberCount { starts[m + 1] += starts[m] }
        return starts
    }

    /// Removes each reversed row together with a paid row of the same member and claim id; a reversal
    /// without one is an orphan (reported, removed). Compacts the array in place.
    ///
    /// Every fill after the first cancelled pair moves down, so the pass reads and writes the whole
    /// array: large inputs are split at member boundaries into one part per core, each compacted in
    /// place, and the parts' kept fills are then joined (one copy per later part).
    static func cancelReversals(_ fills: inout [PharmacyClaim], starts: inout [Int32], claimIDs: [UInt8],
                                outcome: inout GroupingOutcome, parts: Int? = nil) {
        let memberCount = starts.count - 1
        guard memberCount > 0, !fills.isEmpty else { return }
        let partCount = max(1, parts ?? (fills.count >= 1 << 20 ? min(ProcessInfo.processInfo.activeProcessorCount, 8) : 1))
        // Part k is members bounds[k] ..< bounds[k + 1], cut where the fills reach k / partCount.
        var cuts = [0]
        for part in 1..<partCount {
            let target = fills.count * part / partCount
            var m = cuts[part - 1]
            while m < memberCount, Int(starts[m]) < target { m += 1 }
            cuts.append(m)
        }
        cuts.append(memberCount)
        let bounds = cuts
        let partStarts = bounds.map { Int(starts[$0]) }
        var partEnds = [Int](repeating: 0, count: partCount)
        var outcomes = [GroupingOutcome](repeating: GroupingOutcome(), count: partCount)
        fills.withUnsafeMutableBufferPointer { fillBuffer in
            starts.withUnsafeMutableBufferPointer { startBuffer in
                claimIDs.withUnsafeBufferPointer { idBuffer in
                    partEnds.withUnsafeMutableBufferPointer { endBuffer in
                        outcomes.withUnsafeMutableBufferPointer { outcomeBuffer in
                            let shared = CancelBuffers(fills: fillBuffer, starts: startBuffer, claimIDs: idBuffer,
                                                       ends: endBuffer, outcomes: outcomeBuffer)
                            let run: @Sendable (Int) -> Void = { part in
                                shared.ends[part] = cancelReversals(
                                    members: bounds[part]..<bounds[part + 1], from: partStarts[part], to: partStarts[part + 1],
                                    shared, outcome: &shared.outcomes[part])
                            }
                            if partCount == 1 { run(0) } else { DispatchQueue.concurrentPerform(iterations: partCount, execute: run) }
                        }
                    }
                }
            }
        }
        // Join the parts: each later part's kept fills move down behind the previous ones.
        var write = partEnds[0]
        for part in 1..<partCount {
            let shift = partStarts[part] - write
            let kept = partEnds[part] - partStarts[part]
            if shift > 0 {
                fills.withUnsafeMutableBytes { bytes in
                    let stride = MemoryLayout<PharmacyClaim>.stride
                    guard let base = bytes.baseAddress else { return }
                    (base + write * stride).copyMemory(from: base + partStarts[part] * stride, byteCount: kept * stride)
                }
                for m in bounds[part]..<bounds[part + 1] { starts[m] -= Int32(shift) }
            }
            write += kept
        }
        for part in outcomes {
            outcome.cancelledByFile.merge(part.cancelledByFile, uniquingKeysWith: +)
            outcome.orphans.append(contentsOf: part.orphans)
        }
        starts[memberCount] = Int32(write)
        if write < fills.count { fills.removeSubrange(write...) }
    }

    /// One part of `cancelReversals`: members `members`, whose fills are `lower ..< upper`, compacted
    /// to start at `lower`. Returns where the kept fills end. Writes only this part's fills and starts.
    private static func cancelReversals(members: Range<Int>, from lower: Int, to upper: Int, _ shared: CancelBuffers,
                                        outcome: inout GroupingOutcome) -> Int {
        let fills = shared.fills, starts = shared.starts, claimIDs = shared.claimIDs
        let stride = MemoryLayout<PharmacyClaim>.stride
        // Fills of reversal-free members wait in a run [runSource, memberLower) and move in one copy.
        var write = lower, runSource = lower
        var memberLower = lower
        var removed: [Bool] = []
        for m in members {
            let memberUpper = m + 1 == members.upperBound ? upper : Int(starts[m + 1])
            let range = memberLower..<memberUpper
            defer { memberLower = memberUpper }
            var memberHasReversal = false
            for index in range where fills[index].status == .reversed { memberHasReversal = true; break }
            if !memberHasReversal {
                starts[m] = Int32(write + (memberLower - runSource))
                continue
            }
            if write != runSource, let base = fills.baseAddress {
                UnsafeMutableRawPointer(base + write).copyMemory(from: base + runSource, byteCount: (memberLower - runSource) * stride)
            }
            write += memberLower - runSource
            starts[m] = Int32(write)
            removed.removeAll(keepingCapacity: true)
            removed.append(contentsOf: repeatElement(false, count: range.count))
            for offset in 0..<range.count where fills[range.lowerBound + offset].status == .reversed {
                let reversal = fills[range.lowerBound + offset]
                removed[offset] = true
                // The earliest not yet cancelled paid row with the same claim id.
                var matched = false
                for candidate in 0..<range.count where !removed[candidate] {
                    let fill = fills[range.lowerBound + candidate]
                    if fill.status == .paid, claimIDs[fill.claimIDRange].elementsEqual(claimIDs[reversal.claimIDRange]) {
                        removed[candidate] = true
                        matched = true
                        outcome.cancelledByFile[fill.sourceFile, default: 0] += 1
                        outcome.cancelledByFile[reversal.sourceFile, default: 0] += 1
                        break
                    }
                }
                if !matched {
                    let id = String(decoding: claimIDs[reversal.claimIDRange], as: UTF8.self)
                    outcome.orphans.append((reversal.sourceFile, reversal.line, id))
                }
            }
            // Kept fills move down in order (never past a fill not yet read).
            for offset in 0..<range.count where !removed[offset] {
                fills[write] = fills[range.lowerBound + offset]
                write += 1
            }
            runSource = memberUpper
        }
        if write != runSource, let base = fills.baseAddress {
            UnsafeMutableRawPointer(base + write).copyMemory(from: base + runSource, byteCount: (upper - runSource) * stride)
        }
        return write + (upper - runSource)
    }
}

/// What the parts of `fillStartsIfInOrder` share: each writes only its own slots.
private struct OrderCheck: @unchecked Sendable {
    let fills: UnsafeBufferPointer<PharmacyClaim>
    let claimIDs: UnsafeBufferPointer<UInt8>
    let counts: UnsafeMutableBufferPointer<[Int32]>
    let ordered: UnsafeMutableBufferPointer<Bool>
}

/// The buffers `cancelReversals` parts share: each part touches only its own members' fills and
/// starts and its own result slots, and the caller reads them after all parts returned.
private struct CancelBuffers: @unchecked Sendable {
    let fills: UnsafeMutableBufferPointer<PharmacyClaim>
    let starts: UnsafeMutableBufferPointer<Int32>
    let claimIDs: UnsafeBufferPointer<UInt8>
    let ends: UnsafeMutableBufferPointer<Int>
    let outcomes: UnsafeMutableBufferPointer<GroupingOutcome>
}

extension RecordSet {
    /// Frees a large set's arrays with every core giving pages back at once (the kernel frees a
    /// few GiB page by page, one core's work otherwise); `set` is empty afterwards.
    static func release(_ set: inout RecordSet) {
        let held = HeldRecords(set)
        set = .empty
        guard held.fills.count >= 1 << 20 else { return }
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            // Pharmacy claims are plain data: their pages can go before the array does.
            held.fills.withUnsafeBytes { bytes in
                let lower = bytes.count * part / parts, upper = bytes.count * (part + 1) / parts
                releasePages(UnsafeMutableRawBufferPointer(mutating: UnsafeRawBufferPointer(rebasing: bytes[lower..<upper])))
            }
            if part == parts - 1 { held.medicalClaims = [] }
        }
    }
}

/// A record set's arrays while `release` drops them: each part touches its own.
private final class HeldRecords: @unchecked Sendable {
    let fills: [PharmacyClaim]
    var medicalClaims: [MedicalClaim]
    let rest: RecordSet

    init(_ set: RecordSet) {
        fills = set.fills
        medicalClaims = set.medicalClaims
        var rest = set
        rest.fills = []
        rest.medicalClaims = []
        self.rest = rest
    }
}

/// Byte-order comparison of two ranges of an arena: negative, zero or positive.
@inline(__always)
func compareBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Int {
    let common = min(a.count, b.count)
    for offset in 0..<common {
        let x = bytes[a.lowerBound + offset], y = bytes[b.lowerBound + offset]
        if x != y { return x < y ? -1 : 1 }
    }
    return a.count - b.count
}
