import Foundation
import Synchronization

/// Runs `body` over member indexes `0..<count` on `threads` threads and returns the per-chunk
/// results in member order, whatever the thread count: chunks are fixed ranges, workers take the
/// next chunk from a shared counter, and each result lands in its chunk's slot.
func forEachMemberChunk<Result: Sendable>(
    count: Int, threads: Int, chunkSize: Int = 512,
    progress: (@Sendable (Int) -> Void)? = nil,
    _ body: @Sendable (Range<Int>) -> Result
) -> [Result] {
    let chunks = stride(from: 0, to: count, by: chunkSize).map { $0..<min($0 + chunkSize, count) }
    guard !chunks.isEmpty else { return [] }
    let slots = Mutex<[Result?]>(Array(repeating: nil, count: chunks.count))
    let next = Atomic<Int>(0)
    let done = Atomic<Int>(0)
    let workers = max(1, min(threads, chunks.count))
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < chunks.count else { return }
            let result = body(chunks[index])
            slots.withLock { $0[index] = result }
            let finished = done.wrappingAdd(chunks[index].count, ordering: .relaxed).newValue
            progress?(finished)
        }
    }
    return slots.withLock { $0.compactMap { $0 } }
}
