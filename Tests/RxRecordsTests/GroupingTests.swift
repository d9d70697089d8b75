import Foundation
import Testing
@testable import RxRecords
import RxValues

@Suite struct GroupingTests {
    static let header = RejectTests.header

    @Test func membersByIDRecordsByDateThenClaimID() throws {
        let claims = Self.header + """
            C9,M2,2025-03-01,00093718056,30,30,1.00,,paid,,,,
            C5,M10,2025-01-01,00093718056,30,30,1.00,,paid,,,,
            C7,M2,2025-01-15,00093718056,30,30,1.00,,paid,,,,
            C3,M2,2025-01-15,00093718056,30,30,1.00,,paid,,,,
            C1,M1,2025-05-01,00093718056,30,30,1.00,,paid,,,,

            """
        let observations = """
            member_id,date,code,value,unit
            M3,2025-02-01,4548-4,7.0,%
            M1,2025-01-01,4548-4,8.0,%

            """
        let (records, _) = try RecordSet.fromCanonicalCSV([.pharmacyClaims: claims, .observations: observations])
        // Byte order of member ids: "M1" < "M10" < "M2" < "M3".
        #expect(records.memberIDs == ["M1", "M10", "M2", "M3"])
        #expect(records.histories.map { h in h.fills.map(h.claimID) } == [["C1"], ["C5"], ["C3", "C7", "C9"], []])
        #expect(records.histories.map(\.observations.count) == [1, 0, 0, 1])
        #expect(records.fills.map(\.member) == [0, 1, 2, 2, 2])
        var visited: [String] = []
        records.forEachMember(in: 1..<3) { visited.append($0.memberID) }
        #expect(visited == ["M10", "M2"])
        let ranges = records.memberRanges(parts: 2)
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == 4)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    }

    /// Members first seen in member_id order keep their ids; their records are still grouped and
    /// sorted when a member comes back later or its dates run backwards.
    @Test func membersSeenInOrderWithRecordsOutOfOrder() throws {
        let scattered = Self.header + """
            C1,M1,2025-03-01,00093718056,30,30,1.00,,paid,,,,
            C2,M2,2025-02-01,00093718056,30,30,1.00,,paid,,,,
            C3,M1,2025-01-01,00093718056,30,30,1.00,,paid,,,,
            C4,M3,2025-06-01,00093718056,30,30,1.00,,paid,,,,
            C5,M3,2025-04-01,00093718056,30,30,1.00,,paid,,,,

            """
        let (records, _) = try RecordSet.fromCanonicalCSV([.pharmacyClaims: scattered])
        #expect(records.memberIDs == ["M1", "M2", "M3"])
        #expect(records.histories.map { h in h.fills.map(h.claimID) } == [["C3", "C1"], ["C2"], ["C5", "C4"]])
        #expect(records.fills.map(\.member) == [0, 0, 1, 2, 2])
        let ordered = Self.header + """
            C1,M1,2025-01-01,00093718056,30,30,1.00,,paid,,,,
            C2,M1,2025-01-01,00093718056,30,30,1.00,,paid,,,,
            C3,M2,2025-02-01,00093718056,30,30,1.00,,paid,,,,

            """
        let (inOrder, _) = try RecordSet.fromCanonicalCSV([.pharmacyClaims: ordered])
        #expect(inOrder.histories.map { h in h.fills.map(h.claimID) } == [["C1", "C2"], ["C3"]])
        // Same date: claim id order decides, even when the file has them the other way round.
        let tie = Self.header + """
            C2,M1,2025-01-01,00093718056,30,30,1.00,,paid,,,,
            C1,M1,2025-01-01,00093718056,30,30,1.00,,paid,,,,

            """
        let (tied, _) = try RecordSet.fromCanonicalCSV([.pharmacyClaims: tie])
        #expect(tied.histories.map { h in h.fills.map(h.claimID) } == [["C1", "C2"]])
    }

    /// Writes the canonical fixture plus generated rows (unsorted members, reversals, one orphan, a bad row).
    static func makeInput() throws -> String {
        let directory = try Fixture.temporaryDirectory()
        let source = try Fixture.directory("canonical")
        for kind in RecordKind.allCases where kind != .pharmacyClaims {
            try FileManager.default.copyItem(atPath: source + "/\(kind.fileStem).csv", toPath: directory + "/\(kind.fileStem).csv")
        }
        var claims = try String(contentsOfFile: source + "/pharmacy_claims.csv", encoding: .utf8)
        for index in 0..<300 {
            let member = "G\((index * 37) % 41)"
            let date = "2025-\(String(format: "%02d", index % 12 + 1))-\(String(format: "%02d", index % 28 + 1))"
            claims += "G\(index),\(member),\(date),00093-7180-56,30,30,\(index).25,,paid,,,,\n"
            if index % 25 == 0 { claims += "G\(index),\(member),\(date),00093-7180-56,30,30,-\(index).25,,reversed,,,,\n" }
        }
        claims += "GX,G3,2025-02-02,00093-7180-56,30,30,1.00,,reversed,,,,\n"   // orphan
        claims += "GY,G4,2025-02-31,00093-7180-56,30,30,1.00,,paid,,,,\n"       // bad date
        try claims.write(toFile: directory + "/pharmacy_claims.csv", atomically: true, encoding: .utf8)
        return directory
    }

    /// Everything about a history, codes as strings, source file names and lines included.
    static func describe(_ history: MemberHistory, in records: RecordSet, files: [String]) -> String {
        let format = CanonicalWriter.formatter(records)
        var lines = ["\(history.memberID) \(history.member.map(format.fields) ?? [])"]
        lines += history.fills.map { "\(format.fields($0)) \(files[Int($0.sourceFile)]):\($0.line)" }
        lines += history.medicalClaims.map { "\(format.fields($0)) \(files[Int($0.sourceFile)]):\($0.line)" }
        lines += history.enrollments.map { "\(format.fields($0)) \($0.line)" }
        lines += history.observations.map { "\(format.fields($0)) \(files[Int($0.sourceFile)]):\($0.line)" }
        return lines.joined(separator: "\n")
    }

    @Test func spillPathGivesIdenticalHistories() throws {
        let directory = try Self.makeInput()
        defer { Fixture.remove(directory) }
        var inMemory: [String: String] = [:]
        var memoryCalls = 0
        let memoryReport = try RecordLoader.load(directory: directory, memoryBudget: nil) { records in
            memoryCalls += 1
            for history in records.histories { inMemory[history.memberID] = Self.describe(history, in: records, files: ["members.csv", "enrollment.csv", "pharmacy_claims.csv", "medical_claims.csv", "observations.csv"]) }
        }
        let spillRoot = try Fixture.temporaryDirectory()
        defer { Fixture.remove(spillRoot) }
        var spilled: [String: String] = [:]
        var partitionOrder: [[String]] = []
        let spillReport = try RecordLoader.load(directory: directory, memoryBudget: 1, temporaryDirectory: spillRoot) { records in
            partitionOrder.append(records.memberIDs)
            for history in records.histories {
                #expect(spilled[history.memberID] == nil)   // each member in exactly one partition
                spilled[history.memberID] = Self.describe(history, in: records, files: ["members.csv", "enrollment.csv", "pharmacy_claims.csv", "medical_claims.csv", "observations.csv"])
            }
        }
        #expect(memoryCalls == 1)
        #expect(memoryReport.partitions == 1)
        #expect(spillReport.partitions > 1)
        #expect(partitionOrder.count == spillReport.partitions)
        #expect(partitionOrder.allSatisfy { $0 == $0.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } })
        #expect(spilled.count == inMemory.count && inMemory.count == 44)
        #expect(spilled == inMemory)
        #expect(spillReport.summaries == memoryReport.summaries)
        #expect(spillReport.rejects == memoryReport.rejects)
        #expect(memoryReport.rejects.map { "\($0.line) \($0.field)" } == ["323 fill_date", "322 status"])
        // The spill directory is removed.
        #expect(try FileManager.default.contentsOfDirectory(atPath: spillRoot).isEmpty)
        let pharmacy = try #require(memoryReport.summary("pharmacy_claims.csv"))
        #expect((pharmacy.read, pharmacy.accepted, pharmacy.rejected, pharmacy.cancelled) == (322, 6 + 300 - 12, 2, 2 + 24))
    }

    @Test func claimsStayCompact() {
        #expect(MemoryLayout<PharmacyClaim>.stride <= 64)
        #expect(_isPOD(PharmacyClaim.self))   // grouping moves claims without reference counting
        #expect(MemoryLayout<MedicalClaim>.stride <= 64)
    }
}

/// Reversal cancelling split into parts (one per core on large inputs) gives what one pass gives.
@Suite struct ReversalPartsTests {
    @Test("cancelling in parts equals cancelling in one pass: fills, member starts, counts, orphans")
    func partsEqualOnePass() {
        var random = SplitMix(state: 11)
        for _ in 0..<40 {
            var ids: [UInt8] = []
            var fills: [PharmacyClaim] = []
            var starts: [Int32] = [0]
            let memberCount = Int.random(in: 1...60, using: &random)
            for member in 0..<memberCount {
                for position in 0..<Int.random(in: 0...6, using: &random) {
                    // Few distinct claim ids per member, so reversals find (or miss) their paid rows.
                    let id = Array("C\(member)-\(Int.random(in: 0...3, using: &random))".utf8)
                    let reversed = Int.random(in: 0..<4, using: &random) == 0
                    fills.append(PharmacyClaim(
                        claimIDOffset: UInt32(ids.count), claimIDLength: UInt8(id.count), member: MemberIndex(member),
                        fillDate: Day(number: Int32(20_000 + position)), ndc: 1, daysSupply: 30,
                        quantity: ExactDecimal(units: 30, scale: 0), paidAmount: ExactDecimal(units: 100, scale: 2),
                        patientPay: nil, status: reversed ? .reversed : .paid,
                        line: Int32(fills.count + 2), sourceFile: UInt16(Int.random(in: 0...1, using: &random))))
                    ids += id
                }
                starts.append(Int32(fills.count))
            }
            var single = (fills, starts, GroupingOutcome())
            RecordSet.cancelReversals(&single.0, starts: &single.1, claimIDs: ids, outcome: &single.2, parts: 1)
            // Oracle: per member, each reversal takes the earliest paid row with its id still standing.
            var keptLines: [[Int32]] = []
            var orphanCount = 0
            for member in 0..<memberCount {
                let rows = Array(fills[Int(starts[member])..<Int(starts[member + 1])])
                var gone = [Bool](repeating: false, count: rows.count)
                for (position, row) in rows.enumerated() where row.status == .reversed {
                    gone[position] = true
                    let id = ids[row.claimIDRange]
                    if let match = rows.indices.first(where: { !gone[$0] && rows[$0].status == .paid
                                                               && ids[rows[$0].claimIDRange].elementsEqual(id) }) {
                        gone[match] = true
                    } else {
                        orphanCount += 1
                    }
                }
                keptLines.append(rows.indices.filter { !gone[$0] }.map { rows[$0].line })
            }
            #expect((0..<memberCount).map { single.0[Int(single.1[$0])..<Int(single.1[$0 + 1])].map(\.line) } == keptLines)
            #expect(single.2.orphans.count == orphanCount)
            #expect(single.2.cancelledByFile.values.reduce(0, +) == fills.count - single.0.count - orphanCount)
            for parts in [2, 3, 7] {
                var split = (fills, starts, GroupingOutcome())
                RecordSet.cancelReversals(&split.0, starts: &split.1, claimIDs: ids, outcome: &split.2, parts: parts)
                #expect(split.0 == single.0)
                #expect(split.1 == single.1)
                #expect(split.2.cancelledByFile == single.2.cancelledByFile)
                #expect(split.2.orphans.map { "\($0.file):\($0.line):\($0.claimID)" }
                        == single.2.orphans.map { "\($0.file):\($0.line):\($0.claimID)" })
            }
        }
    }
}

/// The parallel in-order check of pharmacy claims: starts when grouped and sorted, nil otherwise.
@Suite struct FillOrderCheckTests {
    @Test("the check in parts finds the member starts of ordered claims and rejects every disorder")
    func partsAgreeWithOneScan() {
        var random = SplitMix(state: 23)
        for _ in 0..<60 {
            var ids: [UInt8] = []
            var fills: [PharmacyClaim] = []
            let memberCount = Int.random(in: 1...30, using: &random)
            var expected: [Int32] = [0]
            for member in 0..<memberCount {
                var day: Int32 = 20_000
                for _ in 0..<Int.random(in: 0...5, using: &random) {
                    day += Int32.random(in: 1...3, using: &random)
                    let id = Array("C\(fills.count)".utf8)
                    fills.append(PharmacyClaim(
                        claimIDOffset: UInt32(ids.count), claimIDLength: UInt8(id.count), member: MemberIndex(member),
                        fillDate: Day(number: day), ndc: 1, daysSupply: 30, quantity: ExactDecimal(units: 30, scale: 0),
                        paidAmount: ExactDecimal(units: 100, scale: 2), patientPay: nil, status: .paid,
                        line: Int32(fills.count + 2)))
                    ids += id
                }
                expected.append(Int32(fills.count))
            }
            for parts in [1, 2, 3, 8] {
                #expect(RecordSet.fillStartsIfInOrder(fills, claimIDs: ids, memberCount: memberCount, parts: parts) == expected)
            }
            guard fills.count >= 2 else { continue }
            // Any swap of two claims of different dates or members breaks the order.
            var shuffled = fills
            let a = Int.random(in: 0..<fills.count, using: &random)
            let b = Int.random(in: 0..<fills.count, using: &random)
            guard fills[a].member != fills[b].member || fills[a].fillDate != fills[b].fillDate else { continue }
            shuffled.swapAt(a, b)
            for parts in [1, 2, 3, 8] {
                #expect(RecordSet.fillStartsIfInOrder(shuffled, claimIDs: ids, memberCount: memberCount, parts: parts) == nil)
            }
        }
    }
}
