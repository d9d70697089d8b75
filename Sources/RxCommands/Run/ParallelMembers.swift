import Foundation
import Synchronization

/// Runs `body` over member indexes `0..<count` on `threads` threads and returns the per-chunk
/// results in member order, whatever the thread count.
func forEachMemberChunk<Result: Sendable>(
    count: Int, threads: Int, chunkSize: Int = 512,
    progress: (@Sendable (Int) -> Void)? = nil,
    _ body: @Sendable (Range<Int>) -> Result
) -> [Result] {
    forEachMemberChunk(count: count, threads: threads, chunkSize: chunkSize, progress: progress) { _, range in body(range) }
}

/// The same, telling `body` which worker (`0..<threads`) runs the chunk.
func forEachMemberChunk<Result: Sendable>(
    count: Int, threads: Int, chunkSize: Int = 512,
    progress: (@Sendable (Int) -> Void)? = nil,
    _ body: @Sendable (_ worker: Int, Range<Int>) -> Result
) -> [Result] {
    let results = Mutex<[Result]>([])
    forEachMemberChunkInOrder(count: count, threads: threads, chunkSize: chunkSize, progress: progress, body) { result in
        results.withLock { $0.append(result) }
    }
    return results.withLock { $0 }
}

extension Array where Element == OutputTable {
    /// Adds one chunk's counts of members without a row and its contract portfolios.
    mutating func mergeCounts(of chunk: RunChunk) {
        for (index, counts) in chunk.outside.enumerated() {
            self[index].outsideCounts.merge(counts, uniquingKeysWith: +)
        }
        for (index, count) in chunk.notIncluded.enumerated() where count > 0 {
            self[index].outsideCounts["not included", default: 0] += count
        }
        for (index, portfolio) in chunk.portfolios {
            if self[index].portfolio == nil { self[index].portfolio = ContractPortfolio() }
            self[index].portfolio?.merge(portfolio)
        }
    }
}
