import Foundation
import RxRecords
import Synchronization

/// Result files written while members are evaluated: each chunk of members is appended to every
/// table's `.name.partial` file as soon as all earlier chunks are written, so memory holds a few
/// chunks instead of every row of the run. At the end the files are renamed into place.
///
/// `@unchecked Sendable`: the handles and counts are only touched by `append`, which
/// `forEachMemberChunk` calls under its delivery lock, one chunk at a time, and by `finish` after
/// every worker has returned.
final class ResultStreams: @unchecked Sendable {
    private var tables: [OutputTable]
    private let folder: String
    private var handles: [FileHandle] = []
    private(set) var rowCounts: [Int]
    /// The first write that failed (a full disk, say); `finish` reports it instead of renaming.
    private var writeError: (any Error)?

    init(tables: [OutputTable], folder: String) throws {
        self.tables = tables
        self.folder = folder
        rowCounts = Array(repeating: 0, count: tables.count)
        for table in tables {
            let path = partialPath(table.name)
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            guard let handle = FileHandle(forWritingAtPath: path) else {
                throw AtomicFileError(path: path, reason: "cannot create the file")
            }
            try handle.write(contentsOf: Data(CSVWriter.line(table.header).utf8))
            handles.append(handle)
        }
    }

    private func partialPath(_ name: String) -> String {
        (folder as NSString).appendingPathComponent(".\(name).csv.partial")
    }

    /// Writes one chunk's rows (sorted by member_id, then claim_id) and adds its counts.
    func append(_ chunk: RunChunk) {
        for (index, rows) in chunk.rows.enumerated() where !rows.isEmpty && writeError == nil {
            let ordered = OutputRow.sorted(rows)
            do {
                try handles[index].write(contentsOf: Data(tables[index].encode(ordered)))
            } catch {
                writeError = error
            }
            rowCounts[index] += rows.count
        }
        tables.mergeCounts(of: chunk)
    }

    /// Closes the files, renames them into place, and returns the tables with their counts.
    func finish() throws -> [(table: OutputTable, rows: Int)] {
        for handle in handles { try handle.close() }
        if let writeError {
            // Leave no file that looks complete: the partial files are removed.
            for table in tables { try? FileManager.default.removeItem(atPath: partialPath(table.name)) }
            throw AtomicFileError(path: folder, reason: "cannot write the results: \(writeError)")
        }
        for table in tables {
            let target = (folder as NSString).appendingPathComponent(table.name + ".csv")
            guard rename(partialPath(table.name), target) == 0 else {
                throw AtomicFileError(path: target, reason: String(cString: strerror(errno)))
            }
        }
        return zip(tables, rowCounts).map { ($0, $1) }
    }
}

/// Runs `body` over member indexes `0..<count` on `threads` threads and hands each chunk's result
/// to `deliver` in member order, whatever the thread count: a finished chunk waits until every
/// earlier chunk has been delivered. Deliveries are serial.
func forEachMemberChunkInOrder<Result: Sendable>(
    count: Int, threads: Int, chunkSize: Int = 512,
    progress: (@Sendable (Int) -> Void)? = nil,
    _ body: @Sendable (Range<Int>) -> Result,
    deliver: @Sendable (Result) -> Void
) {
    forEachMemberChunkInOrder(count: count, threads: threads, chunkSize: chunkSize, progress: progress,
                              { _, range in body(range) }, deliver: deliver)
}

/// The same, telling `body` which worker (`0..<threads`) runs the chunk, so that each worker can
/// use objects no other thread touches.
func forEachMemberChunkInOrder<Result: Sendable>(
    count: Int, threads: Int, chunkSize: Int = 512,
    progress: (@Sendable (Int) -> Void)? = nil,
    _ body: @Sendable (_ worker: Int, Range<Int>) -> Result,
    deliver: @Sendable (Result) -> Void
) {
    let chunks = stride(from: 0, to: count, by: chunkSize).map { $0..<min($0 + chunkSize, count) }
    guard !chunks.isEmpty else { return }
    let state = Mutex(ChunkDelivery<Result>())
    let nextChunk = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    let workers = max(1, min(threads, chunks.count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        while true {
            let index = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < chunks.count else { return }
            let result = body(worker, chunks[index])
            state.withLock { delivery in
                delivery.pending[index] = result
                while let ready = delivery.pending.removeValue(forKey: delivery.next) {
                    deliver(ready)
                    delivery.next += 1
                }
            }
            progress?(done.wrappingAdd(chunks[index].count, ordering: .relaxed).newValue)
        }
    }
}

/// Finished chunks waiting for their turn, and the index of the next chunk to deliver.
struct ChunkDelivery<Value> {
    var pending: [Int: Value] = [:]
    var next = 0
}
