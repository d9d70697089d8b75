#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// Reading one large canonical pharmacy claims file on two threads.
///
/// The file is split after the first line feed past its middle. This thread reads from the start
/// and stops when a row starts exactly at the split; a worker reads from the split to the end into
/// its own buffers and code tables, starting a fresh row there. Whether the split is a record
/// boundary (and not a line break inside a quoted field) is only known once this thread gets
/// there, so the worker's half is speculative: if a row runs across the split, this thread simply
/// reads on to the end and the worker's result is dropped (the single-threaded result, at the cost
/// of the wasted work). Otherwise the worker's records are appended with their code and member ids
/// remapped into this thread's tables in the worker's first-seen order, and their lines shifted by
/// the lines before the split, so the result is the same as a single-threaded read: same code ids,
/// same order, same rejects.
extension Ingest {
    /// The fewest bytes an accepted pharmacy claims row takes: the seven required fields at their
    /// shortest (1-byte ids, an 8-digit date, an 11-digit NDC, 1-digit numbers), six commas and a
    /// line feed, less one for a last row without a line feed. It bounds the claims in a byte range.
    static let minimumPharmacyRowBytes = 30

    /// Reads `source` split in two when it qualifies; false when it must be read by one thread.
    ///
    /// Both halves are decoded straight into the final claims array: this thread's from its start,
    /// the worker's after room for an estimate of this thread's rows (from the average row length
    /// of the first MiB, plus a sixteenth and `splitSlackRows`). Closing the small gap left moves
    /// the worker's claims down in place, remapping them on the way: no second copy of half the
    /// claims in fresh pages. Should this thread's rows outnumber the estimate, the rest wait in
    /// its own buffer and the worker's claims are copied out first (slower, the same result).
    func readSplit(_ source: SourceFile) throws -> Bool {
        guard workers >= 2, spill == nil, source.kind == .pharmacyClaims, case .canonicalCSV = source.layout else { return false }
        var info = stat()
        guard stat(source.path, &info) == 0 else { return false }
        let size = Int(info.st_size)
        // The claim-id arena is indexed by UInt32: stay far from that limit.
        guard size >= minimumSplitBytes, buffers.claimIDBytes.count + size < Int(UInt32.max) else { return false }
        guard let header = try Ingest.header(path: source.path, name: source.name),
              let split = try Ingest.splitOffset(path: source.path, name: source.name, from: splitHint ?? size / 2, size: size),
              split > header.end
        else { return false }

        guard report.files.count < Int(UInt16.max) else {
            throw InputError(file: source.name, message: "more than \(UInt16.max) input files in one load")
        }
        let file = fileIndex(source.name)
        // Room: this thread's estimate, then the worker's bound; the whole file's bound in any case.
        let rowBytes = try splitRowBytesEstimate
            ?? Ingest.averageRowBytes(path: source.path, name: source.name, from: header.end, to: split)
        let estimate = (split - header.end) / max(1, rowBytes)
        let firstRoom = estimate + estimate / 16 + splitSlackRows
        let secondRoom = (size - split) / Ingest.minimumPharmacyRowBytes + 2
        let existing = buffers.fills.count
        let capacity = existing + max(firstRoom + secondRoom, (size - header.end) / Ingest.minimumPharmacyRowBytes + 2)

        let box = WorkerResult()
        let group = DispatchGroup()
        let files = report.files, path = source.path, name = source.name, columns = header.columns
        let internsIdentifiers = self.internsIdentifiers
        var earlier = buffers.fills
        buffers.fills = []
        // Set inside the closure: what to append after it (rows that found no room in place).
        var after: [PharmacyClaim] = []
        var merged: (worker: Ingest, lineOffset: Int)?
        var fills = try [PharmacyClaim](unsafeUninitializedCapacity: capacity) { buffer, count in
            // Never nil (the capacity is at least 2); an error here or below fails the whole load.
            guard let base = buffer.baseAddress else {
                throw InputError(file: source.name, message: "no memory for the claims of a split read")
            }
            earlier.withUnsafeBufferPointer { old in
                if let start = old.baseAddress { base.initialize(from: start, count: old.count) }
            }
            earlier = []
            count = existing
            let workerSink = FillSink(base: base + existing + firstRoom, capacity: secondRoom)
            DispatchQueue.global().async(group: group) {
                let worker = Ingest()
                worker.internsIdentifiers = internsIdentifiers
                worker.report.files = files
                worker.buffers.claimIDBytes.reserveCapacity((size - split) / 3)
                let half = SourceFile(path: path, name: name, kind: .pharmacyClaims, layout: .canonicalCSV)
                do {
                    let input = try ChunkedInput(path: path, name: name, startOffset: split)
                    try worker.readCSV(half, kind: .pharmacyClaims, input: input, file: file, header: columns,
                                       fillSink: workerSink)
                    box.result = .success(worker)
                } catch {
                    box.result = .failure(error)
                }
            }
            let ownSink = FillSink(base: base + existing, capacity: firstRoom)
            let stoppedLine: Int?
            do {
                let input = try ChunkedInput(path: source.path, name: source.name)
                stoppedLine = try readCSV(source, kind: .pharmacyClaims, input: input, file: file, stopAt: split,
                                          fillSink: ownSink)
            } catch {
                group.wait()
                count = existing + ownSink.count
                throw error
            }
            group.wait()
            count = existing + ownSink.count
            // This thread's rows beyond its room (also when it read the whole file: see below).
            after = buffers.fills
            buffers.fills = []
            // nil: this thread read the whole file (the split was inside a quoted field, or the file
            // stopped); the worker's claims are dropped, its room overwritten by `after`.
            guard let stoppedLine else { return }
            let worker: Ingest
            switch box.result {
            case .success(let done): worker = done
            case .failure(let error): throw error
            case nil: throw InputError(file: source.name, message: "the second reader of a split file did not finish")
            }
            let lineOffset = stoppedLine - 1
            let remap = buffers.remapping(of: &worker.buffers, lineOffset: lineOffset)
            let theirs = UnsafeMutableBufferPointer(start: base + existing + firstRoom, count: workerSink.count)
            if after.isEmpty {
                // The common case: move the worker's claims down to just after this thread's.
                let target = base + existing + ownSink.count
                remap.moveDown(theirs, to: target)
                count = existing + ownSink.count + workerSink.count
                let stale = UnsafeMutableRawBufferPointer(
                    start: UnsafeMutableRawPointer(base + count),
                    count: (firstRoom - ownSink.count) * MemoryLayout<PharmacyClaim>.stride)
                releasePages(stale)
            } else {
                // This thread ran out of room: its extra rows come first, so the worker's go out.
                remap.apply(theirs)
                after.append(contentsOf: theirs)
            }
            // Rows the worker could not place (never, with its bound) come last.
            worker.buffers.fills.withUnsafeMutableBufferPointer { remap.apply($0) }
            after.append(contentsOf: worker.buffers.fills)
            worker.buffers.fills = []
            merged = (worker, lineOffset)
        }
        fills.append(contentsOf: after)
        buffers.fills = fills
        if let (worker, lineOffset) = merged {
            merge(worker, file: file, lineOffset: lineOffset)
            splitsMerged += 1
        }
        return true
    }

    /// Appends the worker's counts, rejects and claim ids (which all come after this thread's).
    private func merge(_ worker: Ingest, file: UInt16, lineOffset: Int) {
        let kind = RecordKind.pharmacyClaims
        let target = summary(file, kind)
        for part in worker.report.summaries where part.kind == kind {
            report.summaries[target].read += part.read
            report.summaries[target].accepted += part.accepted
            report.summaries[target].rejected += part.rejected
            report.summaries[target].skipped += part.skipped
        }
        for var rejected in worker.report.rejects {
            rejected.line += lineOffset
            report.rejects.append(rejected)
        }
        reversalRows.append(worker.reversalRows, lineOffset: lineOffset)
        buffers.appendClaimIDs(of: worker.takeBuffers())
    }

    /// Bytes per row in the first MiB after `start` (or up to `end`): the file's average, as an estimate.
    static func averageRowBytes(path: String, name: String, from start: Int, to end: Int) throws -> Int {
        let input = try ChunkedInput(path: path, name: name, startOffset: start, chunkBytes: 1 << 20)
        _ = try input.refill(keepingFrom: 0)
        let sample = min(input.end, end - start)
        guard sample > 0, let bytes = input.buffer.baseAddress else { return Ingest.minimumPharmacyRowBytes }
        var lineFeeds = 0
        for index in 0..<sample where bytes[index] == UInt8(ascii: "\n") { lineFeeds += 1 }
        return lineFeeds == 0 ? sample : max(1, sample / lineFeeds)
    }

    /// The header's columns and the offset just past it; nil when the file has no complete header.
    static func header(path: String, name: String) throws -> (columns: [String], end: Int)? {
        let scanner = CSVScanner(input: try ChunkedInput(path: path, name: name, chunkBytes: 1 << 16))
        guard case .row = try scanner.next() else { return nil }
        return (CSVScanner.strings(scanner.row), scanner.offset)
    }

    /// The offset just after the first line feed at or after `from`; nil when there is none before the end.
    static func splitOffset(path: String, name: String, from: Int, size: Int) throws -> Int? {
        guard from > 0, from < size else { return nil }
        let input = try ChunkedInput(path: path, name: name, startOffset: from, chunkBytes: 1 << 16)
        var position = 0
        while true {
            let base = input.buffer.baseAddress!
            while position < input.end {
                if base[position] == UInt8(ascii: "\n") {
                    let split = input.discarded + position + 1
                    return split < size ? split : nil
                }
                position += 1
            }
            let (moved, gotMore) = try input.refill(keepingFrom: input.end)
            position -= moved
            if !gotMore { return nil }
        }
    }
}

/// A worker's outcome, handed over through `DispatchGroup.wait` (which orders the write before
/// the read), hence unchecked.
final class WorkerResult: @unchecked Sendable {
    var result: Result<Ingest, any Error>?
}

extension RecordBuffers {
    /// Interns another reader's codes and member ids into these tables, in its first-seen order, and
    /// frees its tables (not needed once its records are remapped): its id → this id, per table.
    mutating func takeTables(of other: inout RecordBuffers) -> (codes: [CodeID], members: [MemberIndex]) {
        var codeMap = [CodeID](repeating: -1, count: other.codes.count)
        for id in 0..<other.codes.count {
            codeMap[id] = other.codes.withBytes(of: CodeID(id)) { codes.intern(bytes: $0) }
        }
        var memberMap = [MemberIndex](repeating: -1, count: other.memberIDs.count)
        for id in 0..<other.memberIDs.count {
            let index = other.memberIDs.withBytes(of: CodeID(id)) { memberIDs.intern(bytes: $0) }
            if Int(index) == memberRow.count { memberRow.append(-1) }
            memberMap[id] = index
        }
        other.codes = CodeTable()
        other.memberIDs = MemberIDTable()
        other.memberRow = []
        return (codeMap, memberMap)
    }

    /// Interns another reader's tables into these (its first-seen order) and returns how to move its
    /// claims into this load: ids remapped, lines shifted, claim-id offsets moved past these.
    mutating func remapping(of other: inout RecordBuffers, lineOffset: Int) -> ClaimRemap {
        let (codeMap, memberMap) = takeTables(of: &other)
        return ClaimRemap(codes: codeMap, members: memberMap, lineOffset: lineOffset, arenaBase: UInt32(claimIDBytes.count))
    }

    /// Appends another reader's claim-id bytes (its claims were remapped with `remapping(of:)` before
    /// any byte was added here). Its pages are returned to the system as they are copied, so peak
    /// memory grows by one chunk, not a copy.
    mutating func appendClaimIDs(of other: consuming RecordBuffers) {
        var other = other
        let chunk = 1 << 22
        claimIDBytes.reserveCapacity(claimIDBytes.count + other.claimIDBytes.count)
        // Each chunk is copied into fresh pages of the reserved capacity: a worker has the kernel map
        // the next chunk's pages meanwhile, so this thread does not stop at a fault every 4 KiB.
        let bytePages = Prefault(&claimIDBytes)
        other.claimIDBytes.withUnsafeMutableBufferPointer { source in
            var start = 0
            bytePages.request(elements: 0..<min(source.count, chunk))
            while start < source.count {
                let end = min(source.count, start + chunk)
                bytePages.request(elements: end..<min(source.count, end + chunk))
                claimIDBytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<end]))
                releasePages(UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(source)[start..<end]))
                start = end
            }
        }
        bytePages.finish()
    }
}

/// Where a split file's second reader wrote its claims, and how many; one thread writes it, the
/// reader reads it after `DispatchGroup.wait` (which orders the write before the read), hence unchecked.
final class FillSink: @unchecked Sendable {
    let base: UnsafeMutablePointer<PharmacyClaim>
    let capacity: Int
    var count = 0

    init(base: UnsafeMutablePointer<PharmacyClaim>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }
}

/// Moves another reader's claims into this load's ids, lines and claim-id arena.
struct ClaimRemap {
    let codes: [CodeID]
    let members: [MemberIndex]
    let lineOffset: Int
    let arenaBase: UInt32

    @inline(__always)
    func remapped(_ claim: PharmacyClaim) -> PharmacyClaim {
        var claim = claim
        claim.ndc = codes[Int(claim.ndc)]
        if claim.pharmacy >= 0 { claim.pharmacy = codes[Int(claim.pharmacy)] }
        if claim.prescriber >= 0 { claim.prescriber = codes[Int(claim.prescriber)] }
        claim.member = members[Int(claim.member)]
        claim.line = Int32(clamping: Int(claim.line) + lineOffset)
        claim.claimIDOffset += arenaBase
        return claim
    }

    func apply(_ claims: UnsafeMutableBufferPointer<PharmacyClaim>) {
        for index in claims.indices { claims[index] = remapped(claims[index]) }
    }

    /// Remaps `claims` while moving them to `target`, which is not after their start: in index order,
    /// a claim is read before anything is written over it.
    func moveDown(_ claims: UnsafeMutableBufferPointer<PharmacyClaim>, to target: UnsafeMutablePointer<PharmacyClaim>) {
        guard let source = claims.baseAddress else { return }
        for index in 0..<claims.count { (target + index).initialize(to: remapped(source[index])) }
    }
}

/// Has the kernel map, on a worker thread, the pages of an array's reserved capacity that
/// appends will fill next (`MADV_POPULATE_WRITE`, Linux 5.14; elsewhere or on failure the pages
/// are faulted in by the writes as before). Contents are never touched; only the address of the
/// capacity is kept, and the array must not grow past its capacity meanwhile.
struct Prefault {
    private let address: Int
    private let stride: Int
    private let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    private let group = DispatchGroup()

    /// Pages after the current end of `array`, whose capacity is already reserved.
    init<Element>(_ array: inout [Element]) {
        stride = MemoryLayout<Element>.stride
        let base = array.withUnsafeMutableBytes { Int(bitPattern: $0.baseAddress) }
        address = base == 0 ? 0 : base + array.count * stride
    }

    /// Asks for the pages of elements `range` (counted from the end at creation), after the
    /// previous request is done.
    func request(elements range: Range<Int>) {
        group.wait()
        guard address != 0, page > 0, !range.isEmpty else { return }
        let low = (address + range.lowerBound * stride) / page * page
        let high = (address + range.upperBound * stride + page - 1) / page * page
        DispatchQueue.global().async(group: group) {
            #if os(Linux)
            _ = madvise(UnsafeMutableRawPointer(bitPattern: low), high - low, 23)  // MADV_POPULATE_WRITE
            #endif
        }
    }

    func finish() { group.wait() }
}

/// Gives the whole pages inside `bytes` back to the system (their contents become zero): for a
/// large buffer that has been copied and will only be freed.
func releasePages(_ bytes: UnsafeMutableRawBufferPointer) {
    guard let base = bytes.baseAddress else { return }
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    guard page > 0 else { return }
    let low = (Int(bitPattern: base) + page - 1) / page * page
    let high = (Int(bitPattern: base) + bytes.count) / page * page
    guard high > low, let start = UnsafeMutableRawPointer(bitPattern: low) else { return }
    _ = madvise(start, high - low, MADV_DONTNEED)
}
