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
    /// Reads `source` split in two when it qualifies; false when it must be read by one thread.
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
        let box = WorkerResult()
        let group = DispatchGroup()
        let files = report.files, path = source.path, name = source.name, columns = header.columns
        let internsIdentifiers = self.internsIdentifiers
        DispatchQueue.global().async(group: group) {
            let worker = Ingest()
            worker.internsIdentifiers = internsIdentifiers
            worker.report.files = files
            let half = SourceFile(path: path, name: name, kind: .pharmacyClaims, layout: .canonicalCSV)
            worker.reserve(for: half, bytes: size - split)
            do {
                let input = try ChunkedInput(path: path, name: name, startOffset: split)
                try worker.readCSV(half, kind: .pharmacyClaims, input: input, file: file, header: columns)
                box.result = .success(worker)
            } catch {
                box.result = .failure(error)
            }
        }
        let stoppedLine: Int?
        do {
            let input = try ChunkedInput(path: source.path, name: source.name)
            stoppedLine = try readCSV(source, kind: .pharmacyClaims, input: input, file: file, stopAt: split)
        } catch {
            group.wait()
            throw error
        }
        group.wait()
        // nil: this thread read the whole file (the split was inside a quoted field, or the file stopped).
        guard let stoppedLine else { return true }
        switch box.result {
        case .success(let worker):
            merge(worker, file: file, lineOffset: stoppedLine - 1)
            splitsMerged += 1
        case .failure(let error): throw error
        case nil: throw InputError(file: source.name, message: "the second reader of a split file did not finish")
        }
        return true
    }

    /// Appends the worker's counts, rejects and records (which all come after this thread's).
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
        buffers.appendFills(of: worker.takeBuffers(), lineOffset: lineOffset)
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

    /// Appends another reader's pharmacy claims (read after this one's), remapping its code and member
    /// ids into these tables in its first-seen order and shifting its lines. The other buffers' pages
    /// are returned to the system as they are copied, so peak memory grows by one chunk, not a copy.
    mutating func appendFills(of other: consuming RecordBuffers, lineOffset: Int) {
        var other = other
        let (codeMap, memberMap) = takeTables(of: &other)
        let arenaBase = UInt32(claimIDBytes.count)
        let chunk = 1 << 16
        fills.reserveCapacity(fills.count + other.fills.count)
        claimIDBytes.reserveCapacity(claimIDBytes.count + other.claimIDBytes.count)
        // Each chunk is copied into fresh pages of the reserved capacity: a worker has the kernel map
        // the next chunk's pages meanwhile, so this thread does not stop at a fault every 4 KiB.
        // One chunk ahead only, so the copy still grows as the source shrinks (peak memory).
        let fillPages = Prefault(&fills)
        other.fills.withUnsafeMutableBufferPointer { source in
            var start = 0
            fillPages.request(elements: 0..<min(source.count, chunk))
            while start < source.count {
                let end = min(source.count, start + chunk)
                fillPages.request(elements: end..<min(source.count, end + chunk))
                // Remapped in place, then copied in one piece.
                for index in start..<end {
                    source[index].ndc = codeMap[Int(source[index].ndc)]
                    if source[index].pharmacy >= 0 { source[index].pharmacy = codeMap[Int(source[index].pharmacy)] }
                    if source[index].prescriber >= 0 { source[index].prescriber = codeMap[Int(source[index].prescriber)] }
                    source[index].member = memberMap[Int(source[index].member)]
                    source[index].line = Int32(clamping: Int(source[index].line) + lineOffset)
                    source[index].claimIDOffset += arenaBase
                }
                fills.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<end]))
                releasePages(UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(source)[
                    start * MemoryLayout<PharmacyClaim>.stride ..< end * MemoryLayout<PharmacyClaim>.stride]))
                start = end
            }
        }
        fillPages.finish()
        other.fills = []
        let bytePages = Prefault(&claimIDBytes)
        other.claimIDBytes.withUnsafeMutableBufferPointer { source in
            var start = 0
            bytePages.request(elements: 0..<min(source.count, chunk * 64))
            while start < source.count {
                let end = min(source.count, start + chunk * 64)
                bytePages.request(elements: end..<min(source.count, end + chunk * 64))
                claimIDBytes.append(contentsOf: UnsafeBufferPointer(rebasing: source[start..<end]))
                releasePages(UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(source)[start..<end]))
                start = end
            }
        }
        bytePages.finish()
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
