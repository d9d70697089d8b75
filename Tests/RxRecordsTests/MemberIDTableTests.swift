import Testing
@testable import RxRecords

/// The member id table must give the ids a plain `CodeTable` gives, whatever the order of arrival.
@Suite struct MemberIDTableTests {
    /// Interns `keys` in both tables and checks every id and every spelling.
    static func expectSameIDs(_ keys: [String], _ label: String) {
        var plain = CodeTable()
        var table = MemberIDTable()
        var ids: [CodeID] = []
        for key in keys {
            var copy = key
            let id = copy.withUTF8 { table.intern(bytes: $0) }
            ids.append(id)
            #expect(id == plain.intern(key), "\(label): id of \(key)")
        }
        #expect(table.count == plain.count, "\(label): count")
        // No hash table exactly when the distinct ids arrived in ascending byte order.
        let firstSeen = (0..<plain.count).map { plain[CodeID($0)] }
        let ascending = zip(firstSeen, firstSeen.dropFirst()).allSatisfy { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(table.isInByteOrder == ascending, "\(label): kept in order")
        for id in 0..<plain.count {
            #expect(table[CodeID(id)] == plain[CodeID(id)], "\(label): spelling of \(id)")
            #expect(table.withBytes(of: CodeID(id)) { Array($0) } == Array(plain[CodeID(id)].utf8), "\(label): bytes of \(id)")
        }
        // Every key looked up again finds its first id.
        for (key, id) in zip(keys, ids) {
            var copy = key
            #expect(copy.withUTF8 { table.intern(bytes: $0) } == id, "\(label): lookup of \(key)")
        }
    }

    /// A claims file in another order than the members file: lookups far from the last id move the
    /// table to hashing (same ids); one in the same order with gaps keeps it sorted.
    @Test func manyFarLookupsMoveToTheHashTable() {
        let members = (0..<20_000).map { "M" + String(10_000_000 + $0) }
        var random = SplitMix(state: 3)
        let shuffled = members.shuffled(using: &random)
        Self.expectSameIDs(members + shuffled, "members, then claims in random order")
        var far = MemberIDTable()
        for key in members + shuffled + ["M0"] {
            var copy = key
            _ = copy.withUTF8 { far.intern(bytes: $0) }
        }
        #expect(far.usesHashTable)
        #expect(far.count == 20_001 && far[20_000] == "M0" && far[123] == "M10000123")
        #expect(!far.isInByteOrder)
        var gapped = MemberIDTable()
        var claims: [String] = []
        var index = 0
        while index < members.count {
            claims += Array(repeating: members[index], count: Int.random(in: 1...5, using: &random))
            index += Int.random(in: 1...12, using: &random)
        }
        for key in members + claims {
            var copy = key
            _ = copy.withUTF8 { gapped.intern(bytes: $0) }
        }
        #expect(!gapped.usesHashTable)
        #expect(gapped.isInByteOrder)
        Self.expectSameIDs(members + claims, "members, then claims in member order with gaps")
    }

    @Test func sortedRepeatedGappedAndShuffledArrivalsGiveCodeTableIDs() {
        let members = (0..<500).map { "M" + String(100_000 + $0 * 3) }
        // A members file, then claims files in member order with repeats and members skipped.
        var sorted = members
        var random = SplitMix(state: 42)
        for _ in 0..<2 {
            for member in members where Int.random(in: 0..<4, using: &random) > 0 {
                sorted += Array(repeating: member, count: Int.random(in: 1...3, using: &random))
            }
        }
        Self.expectSameIDs(sorted, "sorted")
        // Claims first (members in order but with gaps), then the members file fills the gaps.
        Self.expectSameIDs(members.enumerated().filter { $0.offset % 3 == 0 }.map(\.element) + members, "gaps filled later")
        // Ids of 8 bytes and more (compared a word at a time), differing before, at and after byte 8.
        let long = (0..<300).map { "MEMBER-" + String(1_000_000 + $0 * 7) } + ["MEMBER-1", "MEMBER-10", "MEMBERS", "MEMBER-0999999x"]
        Self.expectSameIDs(long.sorted(), "long, sorted")
        var shuffler = SplitMix(state: 7)
        Self.expectSameIDs(long.shuffled(using: &shuffler) + long, "long, shuffled")
        Self.expectSameIDs(["ABCDEFGH", "ABCDEFGHI", "ABCDEFGI", "ABCDEFGH", "ABCDEFGG", "ABCDEFGHH"], "eight-byte prefixes")
        // Prefixes, lengths and bytes that sort differently from numbers.
        Self.expectSameIDs(["A", "AB", "ABC", "B", "AA", "A", "Z", "ZZ", "b", "a", "", "é", "A"], "prefixes")
        for seed in 1...20 {
            var random = SplitMix(state: UInt64(seed))
            var keys = members.shuffled(using: &random)
            keys += keys.prefix(100)
            Self.expectSameIDs(keys, "shuffled, seed \(seed)")
            // Mostly in order: one member moved back.
            var nearly = members
            let moved = nearly.remove(at: Int.random(in: 1..<nearly.count, using: &random))
            nearly.insert(moved, at: Int.random(in: 0..<nearly.count, using: &random))
            Self.expectSameIDs(nearly + members, "nearly sorted, seed \(seed)")
        }
    }
}
