/// Interns member ids to dense ids in first-seen order, like `CodeTable`, but without a hash table
/// while the ids arrive in ascending byte order (files written member by member in member_id order,
/// as extracts and `rxrules synth` write them).
///
/// While in order, the ids are kept sorted back to back and a lookup gallops forward from the id last
/// found (the next member of a sorted file is a few ids on) or bisects; a new id greater than every
/// other is appended. The first new id that would land in the middle moves everything into a
/// `CodeTable` (same ids) and every later lookup hashes; so do many lookups far from the last id
/// (a claims file in another order than the members file), which would each cost a bisection.
/// Sorted inputs thus save the hash table's memory (24 bytes per slot, about 34 per member) and a
/// hashed lookup with a cache miss per member.
struct MemberIDTable: Sendable {
    /// Ids in order: their bytes back to back; `offsets[id]..<offsets[id + 1]` is id `id`.
    private var arena: [UInt8] = []
    private var offsets: [Int32] = [0]
    /// The id last found or added: the next lookup starts there.
    private var cursor = 0
    /// Whether `table` holds every id (then `arena` and `offsets` are empty).
    private var isHashed = false
    private var table = CodeTable()
    private var cache = InternCache()
    /// Whether every new id was greater than all before it.
    private var ascending = true
    /// Lookups so far, and those that landed more than 16 ids from the last one (or before it).
    private var lookups = 0
    private var farLookups = 0

    init() {}

    /// Whether every id arrived in ascending byte order (ids are then ranked as they sort).
    var isInByteOrder: Bool { ascending }

    /// Whether lookups hash (after an id out of order or many far lookups).
    var usesHashTable: Bool { isHashed }

    /// Number of distinct member ids.
    var count: Int { isHashed ? table.count : offsets.count - 1 }

    /// The member id with this dense id.
    subscript(id: CodeID) -> String {
        if isHashed { return table[id] }
        return withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of id `id` (no `String` is built).
    func withBytes<Result>(of id: CodeID, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if isHashed { return table.withBytes(of: id, body) }
        let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// The id of the member id spelled by `bytes`, adding it when new.
    mutating func intern(bytes: UnsafeBufferPointer<UInt8>) -> CodeID {
        if isHashed { return hashedIntern(bytes) }
        let count = offsets.count - 1
        guard count > 0 else { return append(bytes) }
        // The position of `bytes` in the sorted ids: the first id not below it.
        let (position, found, far) = arena.withUnsafeBufferPointer { arenaBytes in
            offsets.withUnsafeBufferPointer { offsets in
                // Negative when id `index` sorts before `bytes`, zero when equal.
                func compare(_ index: Int) -> Int {
                    let start = Int(offsets[index]), end = Int(offsets[index + 1])
                    let common = min(end - start, bytes.count)
                    var first = 0
                    if common >= 8, let key = arenaBytes.baseAddress, let probe = bytes.baseAddress {
                        // The first 8 bytes as one big-endian word: its order is the bytes' order.
                        let x = UnsafeRawPointer(key + start).loadUnaligned(as: UInt64.self).bigEndian
                        let y = UnsafeRawPointer(probe).loadUnaligned(as: UInt64.self).bigEndian
                        if x != y { return x < y ? -1 : 1 }
                        first = 8
                    }
                    for offset in first..<common {
                        let x = arenaBytes[start + offset], y = bytes[offset]
                        if x != y { return x < y ? -1 : 1 }
                    }
                    return end - start - bytes.count
                }
                let atCursor = compare(cursor)
                if atCursor == 0 { return (cursor, true, false) }
                var low: Int, high: Int
                var far = true
                if atCursor < 0 {
                    // Gallop forward: probe cursor + 1, + 2, + 4, ...
                    low = cursor + 1
                    var probe = low, step = 1
                    while probe < count, compare(probe) < 0 {
                        low = probe + 1
                        probe += step
                        step *= 2
                    }
                    high = min(probe, count)
                    far = high - cursor > 16
                } else {
                    low = 0
                    high = cursor
                }
                while low < high {
                    let middle = (low + high) / 2
                    if compare(middle) < 0 { low = middle + 1 } else { high = middle }
                }
                return (low, low < count && compare(low) == 0, far)
            }
        }
        lookups += 1
        if far { farLookups += 1 }
        if found {
            cursor = position
            // Mostly far lookups: the input is in another order; hashing is cheaper from here on.
            if farLookups > 4096, farLookups * 8 > lookups { moveToHashTable() }
            return CodeID(position)
        }
        if position == count { return append(bytes) }
        // A new id inside the sorted range: from now on a hash table, with the same ids.
        ascending = false
        moveToHashTable()
        return cache.intern(bytes, in: &table)
    }

    /// Interns in the hash table, noting whether a new id still sorts after the last one.
    private mutating func hashedIntern(_ bytes: UnsafeBufferPointer<UInt8>) -> CodeID {
        let before = table.count
        let id = cache.intern(bytes, in: &table)
        if ascending, Int(id) == before, before > 0 {
            ascending = table.withBytes(of: CodeID(before - 1)) { $0.lexicographicallyPrecedes(bytes) }
        }
        return id
    }

    /// Moves every id into the hash table, in id order (so ids stay the same).
    private mutating func moveToHashTable() {
        for id in 0..<(offsets.count - 1) {
            let start = Int(offsets[id]), end = Int(offsets[id + 1])
            _ = arena.withUnsafeBufferPointer { table.intern(bytes: UnsafeBufferPointer(rebasing: $0[start..<end])) }
        }
        arena = []
        offsets = [0]
        isHashed = true
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) -> CodeID {
        arena.append(contentsOf: bytes)
        offsets.append(Int32(arena.count))
        cursor = offsets.count - 2
        return CodeID(cursor)
    }
}
