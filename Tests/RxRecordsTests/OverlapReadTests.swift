import Foundation
import Testing
@testable import RxRecords
import RxValues

/// Reading the medical claims file on a worker thread while the files before it are read must give
/// exactly the sequential result.
@Suite struct OverlapReadTests {
    static let medicalHeader = "claim_id,member_id,from_date,thru_date,setting,dx_codes,proc_codes,paid_amount\n"

    /// Members shared with the pharmacy file and members seen only here, codes shared with pharmacy
    /// identifiers and new ones, five kinds of reject, a blank line and a quoted claim id holding a
    /// line break (so later rows sit one line further down).
    static func medicalFile() -> String {
        var text = medicalHeader
        for row in 0..<40 {
            let member = "M\((row * 5) % 17)"
            let day = String(format: "2025-%02d-%02d", row % 12 + 1, row % 28 + 1)
            let dx = "e11.\(row % 4)|I10"
            let proc = row % 2 == 0 ? "99214|P\(row % 6)" : ""
            switch row {
            case 3: text += "\"K3\nsecond line\",\(member),\(day),\(day),outpatient,\(dx),\(proc),12.50\n"
            case 7: text += "K\(row),\(member),2025-02-30,\(day),outpatient,\(dx),\(proc),1.00\n"
            case 9: text += "\n"
            case 13: text += "K\(row),\(member),2025-05-02,2025-05-01,inpatient,\(dx),\(proc),1.00\n"
            case 19: text += "K\(row),\(member),\(day),\(day),clinic,\(dx),\(proc),1.00\n"
            case 25: text += "K\(row),\(member),\(day),\(day),er,E1#,\(proc),1.00\n"
            case 31: text += "K\(row),\(member),\(day)\n"
            default: text += "K\(row),\(member),\(day),\(day),\(row % 3 == 0 ? "inpatient" : "professional"),\(dx),\(proc),\(row).10\n"
            }
        }
        return text
    }

    static let members = """
        member_id,birth_date,sex,death_date
        M3,1950-01-02,F,
        M1,1948-07-30,M,
        M12,1960-03-03,U,
        M3,1950-01-02,F,
        M7,1939-13-01,F,

        """

    static let observations = """
        member_id,date,code,value,unit
        M16,2025-03-01,4548-4,7.1,%
        M2,2025-04-01,E119,PD,
        M99,2025-05-01,4548-4,6.4,%

        """

    struct Loaded {
        var records: RecordSet
        var report: LoadReport
        var overlaps: Int
    }

    static func load(_ directory: String, workers: Int) throws -> Loaded {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        let ingest = Ingest()
        ingest.workers = workers
        ingest.minimumSplitBytes = 0
        try ingest.read(ColumnMap.canonical.sources(in: directory, names: names))
        let (set, outcome) = RecordSet.group(ingest.takeBuffers())
        ingest.apply(outcome)
        return Loaded(records: set, report: ingest.report, overlaps: ingest.overlapsAdopted)
    }

    /// Everything a load produces, ids included.
    static func expectSame(_ a: Loaded, _ b: Loaded) {
        #expect(a.records.medicalClaims == b.records.medicalClaims)
        #expect(a.records.codePool == b.records.codePool)
        #expect(a.records.medicalStarts == b.records.medicalStarts)
        #expect(a.records.fills == b.records.fills)
        #expect(a.records.observations == b.records.observations)
        #expect(a.records.memberIDs == b.records.memberIDs)
        #expect(a.records.members == b.records.members)
        let codes = { (set: RecordSet) in (0..<set.codes.count).map { set.codes[CodeID($0)] } }
        #expect(codes(a.records) == codes(b.records))
        #expect(a.records.canonicalText == b.records.canonicalText)
        #expect(a.report.summaries == b.report.summaries)
        #expect(a.report.rejects == b.report.rejects)
        #expect(a.report.files == b.report.files)
    }

    static func write(_ files: [String: String], to directory: String) throws {
        for (name, text) in files { try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8) }
    }

    @Test func workerReadGivesTheSequentialResult() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        try Self.write(["members.csv": Self.members, "pharmacy_claims.csv": SplitReadTests.claimsFile(),
                        "medical_claims.csv": Self.medicalFile(), "observations.csv": Self.observations], to: directory)
        let sequential = try Self.load(directory, workers: 1)
        let overlapped = try Self.load(directory, workers: 2)
        #expect(sequential.overlaps == 0)
        #expect(overlapped.overlaps == 1)
        Self.expectSame(sequential, overlapped)
        // The oracle by hand: 40 rows less the blank line, 5 rejects; row r is on line r + 2, plus one
        // after the quoted line break of row 3.
        let summary = try #require(overlapped.report.summary("medical_claims.csv"))
        #expect(summary.read == 39)
        #expect(summary.rejected == 5)
        #expect(summary.accepted == 34)
        let lines = overlapped.report.rejects.filter { $0.file == "medical_claims.csv" }.map(\.line)
        #expect(lines == [10, 16, 22, 28, 34])
        // Summaries and rejects in reading order: members, pharmacy, medical, observations.
        #expect(overlapped.report.summaries.map(\.file) == ["members.csv", "pharmacy_claims.csv", "medical_claims.csv", "observations.csv"])
        #expect(overlapped.report.rejects.map(\.file) == ["members.csv", "members.csv"] + Array(repeating: "pharmacy_claims.csv", count: 3)
                + Array(repeating: "medical_claims.csv", count: 5) + ["pharmacy_claims.csv"])
        // Medical claims point at their own file and at codes spelled as read (upper case, no dots).
        let medicalFile = try #require(overlapped.report.files.firstIndex(of: "medical_claims.csv"))
        #expect(overlapped.records.medicalClaims.allSatisfy { Int($0.sourceFile) == medicalFile })
        let k2 = try #require(overlapped.records.medicalClaims.first { $0.claimID == "K2" })
        #expect(overlapped.records.diagnoses(of: k2).map { overlapped.records.codes[$0] } == ["E112", "I10"])
        #expect(overlapped.records.procedures(of: k2).map { overlapped.records.codes[$0] } == ["99214", "P2"])
        #expect(overlapped.records.memberIDs[Int(k2.member)] == "M10")
    }

    @Test func medicalFileAloneAndErrorsAreTheSequentialOnes() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        try Self.write(["medical_claims.csv": Self.medicalFile()], to: directory)
        let sequential = try Self.load(directory, workers: 1)
        let overlapped = try Self.load(directory, workers: 2)
        #expect(overlapped.overlaps == 1)
        Self.expectSame(sequential, overlapped)
        // A missing required column fails the load the same way on the worker.
        try Self.write(["members.csv": Self.members, "medical_claims.csv": "claim_id,member_id,from_date\nK1,M1,2025-01-01\n"],
                       to: directory)
        for workers in [1, 2] {
            #expect(throws: InputError.self) { try Self.load(directory, workers: workers) }
        }
        do {
            _ = try Self.load(directory, workers: 2)
        } catch let error as InputError {
            #expect(error.file == "medical_claims.csv")
            #expect(error.message == "missing required column 'thru_date'")
        }
    }
}
