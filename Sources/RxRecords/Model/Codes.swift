/// Normalisation of National Drug Codes to the 11-digit 5-4-2 form.
public enum NDC {
    /// Why an NDC could not be normalised.
    public enum Problem: String, Sendable, Equatable {
        case empty = "empty NDC"
        case notDigits = "NDC has characters other than digits and dashes"
        case ambiguousTenDigits = "undashed 10-digit NDC is ambiguous (4-4-2, 5-3-2 or 5-4-1)"
        case badShape = "NDC is not 11 digits or a dashed 4-4-2, 5-3-2 or 5-4-1 form"
    }

    /// Writes the 11 normalised digits of `bytes` into `out` (11 bytes) or returns the problem.
    ///
    /// Accepts 11 digits, `5-4-2` with dashes, and the 10-digit dashed forms `4-4-2`, `5-3-2`, `5-4-1`,
    /// which get one leading zero in the segment that is short.
    public static func normalize(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>) -> Problem? {
        if bytes.isEmpty { return .empty }
        // Segment lengths of up to three dash-separated parts.
        var lengths = (0, 0, 0)
        var segment = 0
        for byte in bytes {
            if byte == UInt8(ascii: "-") {
                segment += 1
                if segment > 2 { return .badShape }
            } else if byte >= 48 && byte <= 57 {
                switch segment {
                case 0: lengths.0 += 1
                case 1: lengths.1 += 1
                default: lengths.2 += 1
                }
            } else {
                return .notDigits
            }
        }
        let widths: (Int, Int, Int)
        if segment == 0 {
            if lengths.0 == 10 { return .ambiguousTenDigits }
            guard lengths.0 == 11 else { return .badShape }
            for index in 0..<11 { out[index] = bytes[index] }
            return nil
        }
        guard segment == 2 else { return .badShape }
        switch lengths {
        case (5, 4, 2), (4, 4, 2), (5, 3, 2), (5, 4, 1): widths = (5, 4, 2)
        default: return .badShape
        }
        // Right-align each segment in its 5-4-2 slot, padding with zeros.
        var cursor = 0
        var written = 0
        func place(_ length: Int, _ width: Int) {
            for _ in 0..<(width - length) {
                out[written] = UInt8(ascii: "0")
                written += 1
            }
            for offset in 0..<length {
                out[written] = bytes[cursor + offset]
                written += 1
            }
            cursor += length + 1
        }
        place(lengths.0, widths.0)
        place(lengths.1, widths.1)
        place(lengths.2, widths.2)
        return nil
    }

    /// The 11-digit form of `text`, or the problem.
    public static func normalize(_ text: String) -> Result<String, ProblemError> {
        var copy = text
        return copy.withUTF8 { bytes in
            var out = [UInt8](repeating: 0, count: 11)
            let problem = out.withUnsafeMutableBufferPointer { normalize(bytes, into: $0.baseAddress!) }
            if let problem { return .failure(ProblemError(problem: problem)) }
            return .success(String(decoding: out, as: UTF8.self))
        }
    }

    /// An NDC problem as an `Error`.
    public struct ProblemError: Error, Equatable, Sendable {
        public var problem: Problem
    }
}

/// Normalisation of diagnosis codes (ICD-10-CM; ICD-9-CM codes pass through the same way).
public enum DiagnosisCode {
    /// Uppercase with dots removed (`e11.9` → `E119`); nil when empty or not letters and digits.
    public static func normalize(_ text: some StringProtocol) -> String? {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar == "." { continue }
            guard scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) else { return nil }
            result.unicodeScalars.append(contentsOf: String(scalar).uppercased().unicodeScalars)
        }
        return result.isEmpty ? nil : result
    }

    /// The dotted display form of a stored ICD-10-CM code: a dot after the third character (`E119` → `E11.9`).
    public static func display(_ stored: String) -> String {
        guard stored.count > 3 else { return stored }
        let split = stored.index(stored.startIndex, offsetBy: 3)
        return String(stored[..<split]) + "." + String(stored[split...])
    }
}

/// A dense integer id of an interned code string.
public typealias CodeID = Int32

/// Interns code strings (NDCs, diagnosis and procedure codes, LOINC, plan ids, units) to dense ids.
///
/// Ids start at 0 and grow by one per new code, so value-set membership is a bitset lookup.
/// Lookups work on raw bytes so the CSV reader never builds a `String` for a code it has seen.
public struct CodeTable: Sendable {
    /// One open-addressing slot: the hash, `id + 1` (0 = empty) and the first 16 key bytes inline,
    /// so a lookup of a short code touches one cache line.
    struct Slot {
        var hash: UInt32 = 0
        var idPlusOne: Int32 = 0
        var head: (UInt64, UInt64) = (0, 0)
    }

    /// The interned bytes, back to back; `offsets[id]..<offsets[id + 1]` is code `id`.
    private var arena: [UInt8] = []
    private var offsets: [Int32] = [0]
    /// Size is a power of two; at most 70 % full (smaller tables miss the cache less).
    private var slots: [Slot] = Array(repeating: Slot(), count: 1024)

    public init() {}

    /// Number of distinct codes.
    public var count: Int { offsets.count - 1 }

    /// The code string with this id.
    public subscript(id: CodeID) -> String {
        let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
        return String(decoding: arena[start..<end], as: UTF8.self)
    }

    /// Calls `body` with the bytes of code `id` (no `String` is built).
    func withBytes<Result>(of id: CodeID, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let start = Int(offsets[Int(id)]), end = Int(offsets[Int(id) + 1])
        return arena.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// The id of `code`, adding it when new.
    public mutating func intern(_ code: String) -> CodeID {
        var copy = code
        return copy.withUTF8 { intern(bytes: $0) }
    }

    /// The id of `code` if it was interned.
    public func id(of code: String) -> CodeID? {
        var copy = code
        return copy.withUTF8 { bytes in
            let hash = CodeTable.hash(bytes)
            let found = find(bytes, hash: hash, head: CodeTable.head(bytes))
            return slots[found].idPlusOne == 0 ? nil : slots[found].idPlusOne - 1
        }
    }

    /// The first 16 bytes (zero padded) and the length folded into the first word's top byte.
    @inline(__always)
    static func head(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64) {
        var words: (UInt64, UInt64) = (UInt64(min(bytes.count, 255)) << 56, 0)
        let count = min(bytes.count, 15)
        for index in 0..<count {
            if index < 7 {
                words.0 |= UInt64(bytes[index]) << UInt64(index * 8)
            } else {
                words.1 |= UInt64(bytes[index]) << UInt64((index - 7) * 8)
            }
        }
        return words
    }

    /// The id of the code spelled by `bytes`, adding it when new.
    public mutating func intern(bytes: UnsafeBufferPointer<UInt8>) -> CodeID {
        let hash = CodeTable.hash(bytes)
        let head = CodeTable.head(bytes)
        let slot = find(bytes, hash: hash, head: head)
        if slots[slot].idPlusOne != 0 { return slots[slot].idPlusOne - 1 }
        let id = Int32(count)
        arena.append(contentsOf: bytes)
        offsets.append(Int32(arena.count))
        slots[slot] = Slot(hash: hash, idPlusOne: id + 1, head: head)
        if count * 10 > slots.count * 7 { grow() }
        return id
    }

    @inline(__always)
    private func find(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt32, head: (UInt64, UInt64)) -> Int {
        slots.withUnsafeBufferPointer { table in
            let mask = table.count - 1
            var slot = Int(hash) & mask
            while true {
                let entry = table[slot]
                if entry.idPlusOne == 0 { return slot }
                if entry.hash == hash, entry.head == head {
                    // Codes of up to 15 bytes are fully compared by `head`.
                    if bytes.count <= 15 || tailEqual(bytes, id: Int(entry.idPlusOne - 1)) { return slot }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private func tailEqual(_ bytes: UnsafeBufferPointer<UInt8>, id: Int) -> Bool {
        let start = Int(offsets[id]), end = Int(offsets[id + 1])
        guard end - start == bytes.count else { return false }
        return arena.withUnsafeBufferPointer { arenaBytes in
            memoryEqual(arenaBytes.baseAddress! + start, bytes.baseAddress!, bytes.count)
        }
    }

    private mutating func grow() {
        let size = slots.count * 2
        var fresh = [Slot](repeating: Slot(), count: size)
        for old in slots where old.idPlusOne != 0 {
            var slot = Int(old.hash) & (size - 1)
            while fresh[slot].idPlusOne != 0 { slot = (slot + 1) & (size - 1) }
            fresh[slot] = old
        }
        slots = fresh
    }

    /// FNV-1a, 32-bit, with a final avalanche (MurmurHash3 fmix32) so the low bits used by the
    /// table are well mixed for ids that differ only in their last digits. Stable across runs.
    @inline(__always)
    public static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        hash ^= hash >> 16
        hash = hash &* 0x85eb_ca6b
        hash ^= hash >> 13
        hash = hash &* 0xc2b2_ae35
        hash ^= hash >> 16
        return hash
    }

    /// Approximate heap bytes held by the table.
    public var residentBytes: Int {
        arena.capacity + offsets.capacity * 4 + slots.capacity * MemoryLayout<Slot>.stride
    }
}

/// Remembers the last code looked up for one field: extracts repeat a member's id, NDC and pharmacy
/// row after row, and a repeat then costs no hash lookup. Only codes of up to 15 bytes are cached
/// (for those the 16-byte head is the whole code).
struct InternCache {
    private var head: (UInt64, UInt64) = (0, 0)
    private var id: CodeID = -1

    @inline(__always)
    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>, in table: inout CodeTable) -> CodeID {
        guard bytes.count <= 15 else { return table.intern(bytes: bytes) }
        let key = CodeTable.head(bytes)
        if id >= 0, key == head { return id }
        id = table.intern(bytes: bytes)
        head = key
        return id
    }
}

/// Remembers the code ids of recent `|`-separated code lists by their raw text: claims files repeat
/// the same few diagnosis and procedure lists row after row, and a repeat then costs no
/// normalisation and no hash lookup per code. Direct-mapped; lists of up to 15 bytes and 4 codes
/// (the 16-byte head is then the whole text). Only lists that were read without a problem are kept,
/// and their ids are the ones interning would return, so results do not depend on the cache.
struct CodeListCache {
    private struct Entry {
        var head: (UInt64, UInt64) = (0, 0)
        var count: Int32 = -1
        var ids: (CodeID, CodeID, CodeID, CodeID) = (0, 0, 0, 0)
    }
    private var entries = [Entry](repeating: Entry(), count: 256)

    static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        bytes.count <= 15 ? CodeTable.head(bytes) : nil
    }

    @inline(__always)
    private static func slot(_ key: (UInt64, UInt64)) -> Int {
        Int(truncatingIfNeeded: ((key.0 ^ (key.1 &* 31)) &* 0x9E37_79B9_7F4A_7C15) >> 56)
    }

    /// Appends the cached ids of the list with this key to `pool` and returns how many; nil on a miss.
    @inline(__always)
    func append(_ key: (UInt64, UInt64), to pool: inout [CodeID]) -> Int? {
        let entry = entries[CodeListCache.slot(key)]
        guard entry.count >= 0, entry.head == key else { return nil }
        let ids = entry.ids
        switch entry.count {
        case 0: break
        case 1: pool.append(ids.0)
        case 2: pool.append(ids.0); pool.append(ids.1)
        case 3: pool.append(ids.0); pool.append(ids.1); pool.append(ids.2)
        default: pool.append(ids.0); pool.append(ids.1); pool.append(ids.2); pool.append(ids.3)
        }
        return Int(entry.count)
    }

    /// Remembers the ids of a list read without a problem (at most 4 are kept; longer lists are not).
    mutating func store(_ key: (UInt64, UInt64), ids: ArraySlice<CodeID>) {
        guard ids.count <= 4 else { return }
        var entry = Entry(head: key, count: Int32(ids.count))
        let base = ids.startIndex
        if ids.count > 0 { entry.ids.0 = ids[base] }
        if ids.count > 1 { entry.ids.1 = ids[base + 1] }
        if ids.count > 2 { entry.ids.2 = ids[base + 2] }
        if ids.count > 3 { entry.ids.3 = ids[base + 3] }
        entries[CodeListCache.slot(key)] = entry
    }
}

/// Finds the code id of a normalised 11-digit NDC by its value as a number: the digits parse to a
/// UInt64 and one multiply-shift picks the slot, instead of hashing and comparing the bytes in the
/// general table. A miss interns the bytes in the `CodeTable` (so ids stay in first-seen order,
/// shared with every other code) and remembers the id under the number.
struct NDCIndex {
    /// `key + 1` (0 = empty) and the code id, open addressing, power-of-two size, at most half full.
    private var keys: [UInt64] = Array(repeating: 0, count: 1024)
    private var ids: [CodeID] = Array(repeating: 0, count: 1024)
    private var count = 0

    /// The id of the 11 ASCII digits in `digits` (as `NDC.normalize` writes them: anything else
    /// could share a number), interning them in `codes` when new.
    @inline(__always)
    mutating func intern(digits: UnsafeBufferPointer<UInt8>, in codes: inout CodeTable) -> CodeID {
        var key: UInt64 = 0
        for byte in digits { key = key &* 10 &+ UInt64(byte &- 48) }
        return intern(key: key, digits: digits, in: &codes)
    }

    /// The value of `bytes` when they are exactly 11 ASCII digits (an NDC already in normal form:
    /// the common case, with no copy and no second pass); nil otherwise.
    @inline(__always)
    static func key(elevenDigits bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard bytes.count == 11 else { return nil }
        var key: UInt64 = 0
        for byte in bytes {
            let digit = byte &- 48
            guard digit <= 9 else { return nil }
            key = key &* 10 &+ UInt64(digit)
        }
        return key
    }

    /// The id of the 11 digits `digits` whose value is `key`.
    @inline(__always)
    mutating func intern(key: UInt64, digits: UnsafeBufferPointer<UInt8>, in codes: inout CodeTable) -> CodeID {
        let stored = key &+ 1
        let mask = keys.count - 1
        // Fibonacci hashing: the top bits of the product are well mixed even for neighbouring NDCs.
        var slot = Int(truncatingIfNeeded: (stored &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
        while true {
            let found = keys[slot]
            if found == stored { return ids[slot] }
            if found == 0 { break }
            slot = (slot + 1) & mask
        }
        let id = codes.intern(bytes: digits)
        keys[slot] = stored
        ids[slot] = id
        count += 1
        if count * 2 > keys.count { grow() }
        return id
    }

    private mutating func grow() {
        let size = keys.count * 2
        var freshKeys = [UInt64](repeating: 0, count: size)
        var freshIDs = [CodeID](repeating: 0, count: size)
        for index in keys.indices where keys[index] != 0 {
            var slot = Int(truncatingIfNeeded: (keys[index] &* 0x9E37_79B9_7F4A_7C15) >> 40) & (size - 1)
            while freshKeys[slot] != 0 { slot = (slot + 1) & (size - 1) }
            freshKeys[slot] = keys[index]
            freshIDs[slot] = ids[index]
        }
        keys = freshKeys
        ids = freshIDs
    }
}

@inline(__always)
func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for index in 0..<count where a[index] != b[index] { return false }
    return true
}

/// A set of code ids: membership is one bit test.
public struct CodeSet: Sendable, Equatable {
    private var words: [UInt64] = []

    public init() {}

    /// The set of the given ids.
    public init(_ ids: some Sequence<CodeID>) {
        for id in ids { insert(id) }
    }

    public mutating func insert(_ id: CodeID) {
        let word = Int(id) >> 6
        if word >= words.count { words.append(contentsOf: repeatElement(0, count: word - words.count + 1)) }
        words[word] |= 1 << UInt64(Int(id) & 63)
    }

    public func contains(_ id: CodeID) -> Bool {
        let word = Int(id) >> 6
        return id >= 0 && word < words.count && words[word] & (1 << UInt64(Int(id) & 63)) != 0
    }
}
