import Testing
@testable import RxRecords
import RxValues

@Suite struct RejectTests {
    static let header = "claim_id,member_id,fill_date,ndc,days_supply,quantity,paid_amount,patient_pay,status,rx_number,fill_number,pharmacy_id,prescriber_id\n"

    /// One file with every kind of bad pharmacy row; each bad row names its physical line.
    static func badPharmacyFile() -> [UInt8] {
        var bytes = Array(header.utf8)
        let lines = [
            "C1,M1,2025-01-01,00093718056,30,30,10.00,,paid,,,,\n",          // 2 good
            "C2,,2025-01-02,00093718056,30,30,10.00,,paid,,,,\n",            // 3 missing member_id
            "C3,M1,2025-02-30,00093718056,30,30,10.00,,paid,,,,\n",          // 4 impossible date
            "C4,M1,2025-01-04,00093718056,0,30,10.00,,paid,,,,\n",           // 5 days_supply 0
            "C5,M1,2025-01-05,00093718056,400,30,10.00,,paid,,,,\n",         // 6 days_supply 400
            "C6,M1,2025-01-06,00093718056,30,30,12.3.4,,paid,,,,\n",         // 7 bad money
            "C7,M1,2025-01-07,00093718056,30,0,10.00,,paid,,,,\n",           // 8 quantity 0
            "C8,M1,2025-01-08,00093718056,30,30,10.00,,paid,,,\n",           // 9 wrong column count
            "C9,M1,2025-01-09,00093718056,30,30,10.00,,void,,,,\n",          // 10 unknown status
            "C10,M1,2025-01-10,0093718056,30,30,10.00,,paid,,,,\n",          // 11 ambiguous NDC
            "\"C11\",M1,2025-01-11,00093718056,30,30,10.00,,paid,,,\"multi\nline pharmacy\",\n", // 12-13 good
            "C12,M2,2025-01-12,00093718056,30,30,-10.00,,reversed,,,,\n",    // 14 orphan reversal
            "C13,M1,2025-01-13,00093718056,30,30,10.00,,paid,,,,\n",         // 15 good
        ]
        for line in lines { bytes += Array(line.utf8) }
        bytes += Array("C14,M1,2025-01-14,00093718056,30,30,10.00,,paid,,,Caf".utf8) + [0xC3, 0x28] + Array(",\n".utf8) // 16 invalid UTF-8
        bytes += Array("C15,M1,2025-01-15,00093718056,30,30,10.00,,paid,,,,\n".utf8)   // 17 good
        bytes += Array("C16,M1,2025-01-16,00093718056,30,30,10.00,,paid,,,,\"unterminated\n".utf8) // 18 unterminated
        bytes += Array("C17,M1,2025-01-17,00093718056,30,30,10.00,,paid,,,,\n".utf8)   // 19 swallowed by 18
        return bytes
    }

    @Test func everyBadRowLandsInRejectsWithItsLine() throws {
        let (records, report) = try RecordSet.fromCanonicalCSV(bytes: [.pharmacyClaims: Self.badPharmacyFile()])
        let found = report.rejects.map { "\($0.line) \($0.field)" }
        #expect(found == [
            "3 member_id", "4 fill_date", "5 days_supply", "6 days_supply", "7 paid_amount", "8 quantity", "9 ",
            "10 status", "11 ndc", "16 ", "18 ", "14 status",
        ])
        #expect(report.rejects.allSatisfy { $0.file == "pharmacy_claims.csv" })
        #expect(report.rejects[0].reason == "missing required field")
        #expect(report.rejects[1].reason.contains("2025-02-30"))
        #expect(report.rejects[6].reason.hasPrefix("wrong column count"))
        #expect(report.rejects[9].reason == "invalid UTF-8")
        #expect(report.rejects[10].reason.hasPrefix("unterminated quoted field"))
        #expect(report.rejects[10].raw.hasPrefix("C16,M1"))
        #expect(report.rejects[11].reason.hasPrefix("orphan reversal"))
        #expect(report.rejects[11].raw == "C12,M2,2025-01-12,00093718056,30,30,-10.00,,reversed,,,,")
        #expect(report.rejects[4].raw == "C6,M1,2025-01-06,00093718056,30,30,12.3.4,,paid,,,,")

        // Every other row is still read, in date order.
        #expect(records.fills.map(records.claimID) == ["C1", "C11", "C13", "C15"])
        #expect(records.codes[records.fills[1].pharmacy] == "multi\nline pharmacy")
        #expect(records.fills[1].line == 12)
        let summary = try #require(report.summary("pharmacy_claims.csv"))
        #expect(summary.read == 16)
        #expect(summary.accepted == 4)
        #expect(summary.rejected == 12)
        #expect(summary.isBalanced)
    }

    @Test func duplicateMemberAndUnknownEnums() throws {
        let members = """
            member_id,birth_date,sex,death_date
            M1,1960-01-01,F,
            M2,1950-05-05,X,
            M1,1961-01-01,F,
            M3,1970-01-01,M,1969-12-31
            M4,1981-02-29,M,

            """
        let medical = """
            claim_id,member_id,from_date,thru_date,setting,dx_codes,proc_codes,paid_amount
            K1,M1,2025-01-01,2025-01-02,inpatient,I10,,100.00
            K2,M1,2025-01-01,2025-01-02,hospital,I10,,100.00
            K3,M1,2025-01-05,2025-01-02,outpatient,I10,,100.00
            K4,M1,2025-01-05,2025-01-05,er,I10|E11..9X!,,

            """
        let (records, report) = try RecordSet.fromCanonicalCSV([.members: members, .medicalClaims: medical])
        #expect(report.rejects.map { "\($0.file):\($0.line) \($0.field)" } == [
            "members.csv:3 sex", "members.csv:4 member_id", "members.csv:5 death_date", "members.csv:6 birth_date",
            "medical_claims.csv:3 setting", "medical_claims.csv:4 thru_date", "medical_claims.csv:5 dx_codes",
        ])
        #expect(report.rejects[1].reason == "duplicate member 'M1'")
        #expect(records.members.compactMap { $0?.memberID } == ["M1"])
        #expect(records.medicalClaims.map(\.claimID) == ["K1"])
        #expect(report.summaries.filter { !$0.isBalanced }.isEmpty)
    }

    @Test func reversalCancelsItsPaidClaim() throws {
        let claims = Self.header + """
            P1,M1,2025-01-01,00093718056,30,30,10.00,,paid,,,,
            P2,M1,2025-01-31,00093718056,30,30,10.00,,paid,,,,
            P2,M1,2025-02-02,00093718056,30,30,-10.00,,reversed,,,,
            P3,M1,2025-03-02,00093718056,30,30,10.00,,,,,,

            """
        let (records, report) = try RecordSet.fromCanonicalCSV([.pharmacyClaims: claims])
        #expect(records.fills.map(records.claimID) == ["P1", "P3"])
        let summary = try #require(report.summary("pharmacy_claims.csv"))
        #expect((summary.read, summary.accepted, summary.rejected, summary.cancelled) == (4, 2, 0, 2))
        #expect(report.rejects.isEmpty)
    }

    @Test func rejectBudget() {
        #expect(RejectBudget("0") == .count(0))
        #expect(RejectBudget("12") == .count(12))
        #expect(RejectBudget("0.5%") == .percent(money("0.5")))
        #expect(RejectBudget("-1") == nil)
        #expect(RejectBudget("101%") == nil)
        #expect(RejectBudget("abc") == nil)
        #expect(!RejectBudget.none.isExceeded(rejected: 0, read: 100))
        #expect(RejectBudget.none.isExceeded(rejected: 1, read: 100))
        #expect(!RejectBudget.count(3).isExceeded(rejected: 3, read: 10))
        #expect(RejectBudget.count(3).isExceeded(rejected: 4, read: 10))
        // 1% of 200 rows is 2 rejects: 2 is within, 3 is over.
        let onePercent = RejectBudget.percent(money("1"))
        #expect(!onePercent.isExceeded(rejected: 2, read: 200))
        #expect(onePercent.isExceeded(rejected: 3, read: 200))
    }

    @Test func overBudgetReportAndRejectsFile() throws {
        let (_, report) = try RecordSet.fromCanonicalCSV(bytes: [.pharmacyClaims: Self.badPharmacyFile()])
        #expect(report.isOverBudget)
        var tolerant = report
        tolerant.rejectBudget = .count(12)
        #expect(!tolerant.isOverBudget)
        tolerant.rejectBudget = RejectBudget("75%") ?? .none
        #expect(!tolerant.isOverBudget)   // 12 of 16 = 75 %
        tolerant.rejectBudget = RejectBudget("74.9%") ?? .none
        #expect(tolerant.isOverBudget)
        let text = RejectsWriter.csv(Array(report.rejects.prefix(2)))
        #expect(text == """
            file,line,field,reason,raw
            pharmacy_claims.csv,3,member_id,missing required field,"C2,,2025-01-02,00093718056,30,30,10.00,,paid,,,,"
            pharmacy_claims.csv,4,fill_date,bad or impossible date '2025-02-30',"C3,M1,2025-02-30,00093718056,30,30,10.00,,paid,,,,"

            """)
    }

    @Test func rejectsFileIsWritten() throws {
        let (_, report) = try RecordSet.fromCanonicalCSV(bytes: [.pharmacyClaims: Self.badPharmacyFile()])
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        try RejectsWriter.write(report.rejects, to: directory + "/rejects.csv")
        let text = try String(contentsOfFile: directory + "/rejects.csv", encoding: .utf8)
        #expect(text == RejectsWriter.csv(report.rejects))
        // The multi-line raw text of the unterminated record stays one CSV record.
        let scanner = CSVScanner(input: ChunkedInput(bytes: Array(text.utf8), name: "rejects.csv"))
        var records = 0
        while case .row = try scanner.next() { records += 1 }
        #expect(records == 1 + report.rejects.count)
    }
}
