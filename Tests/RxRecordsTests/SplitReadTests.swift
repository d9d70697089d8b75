import Foundation
import Testing
@testable import RxRecords
import RxValues

/// Reading a pharmacy claims file on two threads must give exactly the single-threaded result.
@Suite struct SplitReadTests {
    /// Rows spread over the file: members out of order and repeated on both sides of any split,
    /// codes first seen late, rejects, a blank line, reversal pairs and an orphan reversal, and a
    /// quoted pharmacy name with a comma and a line break.
    static func claimsFile() -> String {
        var text = RejectTests.header
        for row in 0..<60 {
            let member = "M\((row * 7) % 13)"
            let ndc = String(format: "00093718%03d", row % 9 + (row > 40 ? 50 : 0))
            let pharmacy = row % 10 == 3 ? "\"Main St Pharmacy, Unit \(row)\nBack door\"" : "PH-\(row % 4)"
            let day = String(format: "2025-%02d-%02d", row % 12 + 1, row % 28 + 1)
            switch row {
            case 11: text += "C\(row),\(member),2025-02-30,\(ndc),30,30,1.00,,paid,,,\(pharmacy),\n"
            case 17: text += "\n"
            case 23: text += "C\(row),\(member),\(day),\(ndc),0,30,1.00,,paid,,,\(pharmacy),\n"
            case 29: text += "C\(row),\(member),\(day)\n"
            case 38: text += "C5,M9,\(day),\(ndc),30,30,-1.00,,reversed,,,\(pharmacy),\n"
            case 47: text += "C999,\(member),\(day),\(ndc),30,30,-1.00,,reversed,,,\(pharmacy),\n"
            case 52: text += "C2,M1,\(day),\(ndc),30,30,-1.00,,reversed,,,\(pharmacy),\r\n"
            default: text += "C\(row),\(member),\(day),\(ndc),30,\(row % 5 + 1),\(row).25,0.50,paid,RX\(row),\(row % 3),\(pharmacy),P\(row % 6)\n"
            }
        }
        return text
    }

    struct Loaded {
        var records: RecordSet
        var report: LoadReport
        var splits: Int
    }

    static func load(_ path: String, workers: Int, hint: Int? = nil, identifiers: Bool = true,
                     rowBytes: Int? = nil, slack: Int = 1024) throws -> Loaded {
        let ingest = Ingest()
        ingest.internsIdentifiers = identifiers
        ingest.workers = workers
        ingest.minimumSplitBytes = 0
        ingest.splitHint = hint
        ingest.splitRowBytesEstimate = rowBytes
        ingest.splitSlackRows = slack
        try ingest.read(SourceFile(path: path, name: "pharmacy_claims.csv", kind: .pharmacyClaims, layout: .canonicalCSV))
        let (set, outcome) = RecordSet.group(ingest.takeBuffers())
        ingest.apply(outcome)
        return Loaded(records: set, report: ingest.report, splits: ingest.splitsMerged)
    }

    /// Everything a load produces, ids included.
    static func expectSame(_ a: Loaded, _ b: Loaded, hint: Int) {
        #expect(a.records.fills == b.records.fills, "fills differ, split hint \(hint)")
        #expect(a.records.claimIDBytes == b.records.claimIDBytes, "claim ids differ, split hint \(hint)")
        #expect(a.records.memberIDs == b.records.memberIDs, "members differ, split hint \(hint)")
        #expect(a.records.fillStarts == b.records.fillStarts, "groups differ, split hint \(hint)")
        let codes = { (set: RecordSet) in (0..<set.codes.count).map { set.codes[CodeID($0)] } }
        #expect(codes(a.records) == codes(b.records), "code ids differ, split hint \(hint)")
        #expect(a.records.canonicalText == b.records.canonicalText, "records differ, split hint \(hint)")
        #expect(a.report.summaries == b.report.summaries, "counts differ, split hint \(hint)")
        #expect(a.report.rejects == b.report.rejects, "rejects differ, split hint \(hint)")
        #expect(a.report.files == b.report.files)
    }

    @Test func withoutIdentifiersOnlyPharmacyPrescriberAndRxNumberAreLeftOut() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let path = directory + "/pharmacy_claims.csv"
        try Self.claimsFile().write(toFile: path, atomically: true, encoding: .utf8)
        let full = try Self.load(path, workers: 1)
        #expect(full.records.fills.contains { $0.pharmacy >= 0 } && full.records.fills.contains { $0.prescriber >= 0 })
        #expect(full.records.fills.contains { full.records.rxNumber(of: $0) != nil })
        for workers in [1, 2] {
            let lean = try Self.load(path, workers: workers, identifiers: false)
            #expect(lean.records.fills.allSatisfy { $0.pharmacy == -1 && $0.prescriber == -1 })
            #expect(lean.records.fills.allSatisfy { lean.records.rxNumber(of: $0) == nil })
            #expect(lean.records.fills.count == full.records.fills.count)
            for (a, b) in zip(lean.records.fills, full.records.fills) {
                #expect(lean.records.claimID(of: a) == full.records.claimID(of: b))
                #expect(lean.records.codes[a.ndc] == full.records.codes[b.ndc])
                #expect(a.fillDate == b.fillDate && a.daysSupply == b.daysSupply && a.quantity == b.quantity
                        && a.paidAmount == b.paidAmount && a.patientPay == b.patientPay && a.member == b.member
                        && a.line == b.line && a.status == b.status)
            }
            #expect(lean.report.summaries == full.report.summaries && lean.report.rejects == full.report.rejects)
        }
    }

    @Test func everySplitPointGivesTheSingleThreadedResult() throws {
        let single = try Self.expectEverySplitSame(every: 1) { path, hint in try Self.load(path, workers: 2, hint: hint) }
        #expect(single.splits == 0)
        // The oracle by hand: 60 rows less the blank line; 3 rejects (bad date, days_supply 0, short
        // row) and 1 orphan reversal; 2 pairs cancelled. Row r is on line r + 2 plus the quoted line
        // breaks of rows 3, 13, 23, ... before it.
        let summary = try #require(single.report.summaries.first)
        #expect(summary.read == 59)
        #expect(summary.rejected == 4)
        #expect(summary.cancelled == 4)
        #expect(summary.accepted == 51)
        #expect(single.report.rejects.map(\.line) == [14, 27, 34, 54])
    }

    /// Claims already loaded from an earlier file stay in front of a split file's, as one thread reads them.
    @Test func claimsReadBeforeASplitFileStayInFront() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let lines = Self.claimsFile().split(separator: "\n", omittingEmptySubsequences: false)
        let header = String(lines[0]) + "\n"
        // The first 12 lines in one file (11 rows: row 3's pharmacy name holds a quoted line break),
        // the rest in another.
        let first = directory + "/first.csv", second = directory + "/second.csv"
        try (header + lines[1...12].joined(separator: "\n") + "\n").write(toFile: first, atomically: true, encoding: .utf8)
        let rest = lines[13...].joined(separator: "\n")
        try (header + rest).write(toFile: second, atomically: true, encoding: .utf8)
        func load(splitAt hint: Int?) throws -> Loaded {
            let ingest = Ingest()
            ingest.minimumSplitBytes = 0
            ingest.workers = 1
            try ingest.read(SourceFile(path: first, name: "first.csv", kind: .pharmacyClaims, layout: .canonicalCSV))
            ingest.workers = hint == nil ? 1 : 2
            ingest.splitHint = hint
            try ingest.read(SourceFile(path: second, name: "second.csv", kind: .pharmacyClaims, layout: .canonicalCSV))
            let (set, outcome) = RecordSet.group(ingest.takeBuffers())
            ingest.apply(outcome)
            return Loaded(records: set, report: ingest.report, splits: ingest.splitsMerged)
        }
        let single = try load(splitAt: nil)
        var merged = 0
        for hint in stride(from: 1, to: (header + rest).utf8.count, by: 3) {
            let split = try load(splitAt: hint)
            merged += split.splits
            Self.expectSame(single, split, hint: hint)
        }
        #expect(merged > 0)
        #expect(single.report.summaries.map(\.read) == [11, 48])
    }

    /// The first half decodes into room sized from an estimate: too little room (its extra rows
    /// wait in its own buffer), exactly enough, or much too much (a wide gap to close) all give the
    /// single-threaded result.
    @Test(arguments: [(rowBytes: 1 << 20, slack: 0), (rowBytes: 1 << 20, slack: 7), (rowBytes: 90, slack: 0),
                      (rowBytes: 60, slack: 0), (rowBytes: 1, slack: 0)])
    func anyRoomForTheFirstHalfGivesTheSingleThreadedResult(rowBytes: Int, slack: Int) throws {
        _ = try Self.expectEverySplitSame(every: 5) { path, hint in
            try Self.load(path, workers: 2, hint: hint, rowBytes: rowBytes, slack: slack)
        }
    }

    /// Loads `claimsFile()` on one thread and, for every `every`-th split offset, with `load`: the
    /// same result each time, and at least one load merged two halves. Returns the one-thread load.
    static func expectEverySplitSame(every step: Int, _ load: (String, Int) throws -> Loaded) throws -> Loaded {
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let path = directory + "/pharmacy_claims.csv"
        let text = claimsFile()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let single = try Self.load(path, workers: 1)
        var merged = 0
        for hint in stride(from: 1, to: text.utf8.count, by: step) {
            let split = try load(path, hint)
            merged += split.splits
            expectSame(single, split, hint: hint)
        }
        #expect(merged > 0)
        return single
    }

    @Test func splitInsideAQuotedLineBreakFallsBackToOneThread() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let path = directory + "/pharmacy_claims.csv"
        let text = Self.claimsFile()
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let bytes = Array(text.utf8)
        // The line feed inside the first quoted pharmacy name ("...Unit 3\nBack door").
        let quoted = try #require(text.range(of: "Unit 3\nBack"))
        let insideQuote = text.utf8.distance(from: text.startIndex, to: quoted.lowerBound) + "Unit 3".utf8.count
        #expect(bytes[insideQuote] == UInt8(ascii: "\n"))
        let single = try Self.load(path, workers: 1)
        let fallback = try Self.load(path, workers: 2, hint: insideQuote)
        #expect(fallback.splits == 0)
        Self.expectSame(single, fallback, hint: insideQuote)
        // The line feed ending that record is a true boundary: the halves are merged.
        let boundary = try #require(bytes[(insideQuote + 1)...].firstIndex(of: UInt8(ascii: "\n")))
        let parallel = try Self.load(path, workers: 2, hint: boundary)
        #expect(parallel.splits == 1)
        Self.expectSame(single, parallel, hint: boundary)
        // Lines after the split keep their physical numbers: the orphan reversal is on line 49 + 5
        // (1 header line, 4 quoted line breaks before it).
        #expect(parallel.report.rejects.last?.line == 54)
        #expect(parallel.report.rejects.last?.field == "status")
    }
}
