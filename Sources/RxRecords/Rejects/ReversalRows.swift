/// The raw text of reversal rows, kept only to report the rare orphan reversal (one with no paid
/// claim to cancel) with its row, as every reject is.
///
/// The bytes of all rows go into one arena: a `String` and a hashed entry per reversal cost an
/// allocation and a hash insert for each of hundreds of thousands of rows that are almost never
/// read again. Rows arrive in (file, line) order, so a lookup is a binary search.
struct ReversalRows {
    /// `file << 32 | line` of each row, in arrival order.
    private var keys: [Int] = []
    /// Where row i's bytes end in `bytes` (they start where row i-1's end).
    private var ends: [Int] = []
    private var bytes: [UInt8] = []
    /// Whether `keys` only ever grew (then lookups bisect).
    private var ascending = true

    var count: Int { keys.count }

    static func key(file: UInt16, line: Int) -> Int { Int(file) << 32 | line }

    mutating func append(file: UInt16, line: Int, raw: UnsafeBufferPointer<UInt8>) {
        let key = ReversalRows.key(file: file, line: line)
        if let last = keys.last, last >= key { ascending = false }
        keys.append(key)
        bytes.append(contentsOf: raw)
        ends.append(bytes.count)
    }

    /// Appends another reader's rows of `file`, their lines shifted by `lineOffset`.
    mutating func append(_ other: ReversalRows, lineOffset: Int) {
        guard let first = other.keys.first else { return }
        if !other.ascending || (keys.last.map { $0 >= first + lineOffset } ?? false) { ascending = false }
        let base = bytes.count
        keys.reserveCapacity(keys.count + other.keys.count)
        ends.reserveCapacity(ends.count + other.ends.count)
        other.keys.withUnsafeBufferPointer { for key in $0 { keys.append(key + lineOffset) } }
        other.ends.withUnsafeBufferPointer { for end in $0 { ends.append(base + end) } }
        bytes.append(contentsOf: other.bytes)
    }

    /// The row's text, nil when no reversal was kept at that line.
    func raw(file: UInt16, line: Int) -> String? {
        let key = ReversalRows.key(file: file, line: line)
        let position: Int?
        if ascending {
            var low = 0, high = keys.count
            while low < high {
                let middle = (low + high) / 2
                if keys[middle] < key { low = middle + 1 } else { high = middle }
            }
            position = low < keys.count && keys[low] == key ? low : nil
        } else {
            position = keys.firstIndex(of: key)
        }
        guard let position else { return nil }
        let start = position == 0 ? 0 : ends[position - 1]
        return String(decoding: bytes[start..<ends[position]], as: UTF8.self)
    }
}
