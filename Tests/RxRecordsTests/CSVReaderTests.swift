import Testing
@testable import RxRecords
import RxValues

@Suite struct CSVReaderTests {
    /// Scans raw CSV text into rows of strings with their start lines.
    static func scan(_ bytes: [UInt8]) throws -> [(line: Int, fields: [String])] {
        let scanner = CSVScanner(input: ChunkedInput(bytes: bytes, name: "t.csv"))
        var rows: [(Int, [String])] = []
        while case .row = try scanner.next() {
            let row = scanner.row
            rows.append((row.line, (0..<row.fieldCount).map { String(decoding: row.field($0), as: UTF8.self) }))
        }
        return rows
    }

    @Test func rfc4180Quoting() throws {
        let text = "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nplain,,\"\"\r\nlast,row,no-newline"
        let rows = try Self.scan(Array(text.utf8))
        #expect(rows.map(\.fields) == [
            ["a", "b", "c"],
            ["x, y", "say \"hi\"", "two\r\nlines"],
            ["plain", "", ""],
            ["last", "row", "no-newline"],
        ])
        #expect(rows.map(\.line) == [1, 2, 4, 5])
    }

    @Test func byteOrderMarkAndTrailingNewline() throws {
        let rows = try Self.scan([0xEF, 0xBB, 0xBF] + Array("id,v\n1,2\n".utf8))
        #expect(rows.map(\.fields) == [["id", "v"], ["1", "2"]])
    }

    @Test func rowsLongerThanTheReadBufferAreReassembled() throws {
        // A tiny chunk size forces every row across several refills.
        let path = try Fixture.temporaryDirectory()
        defer { Fixture.remove(path) }
        let text = (0..<200).map { "r\($0),\"quoted, \($0)\nsecond line\",\(String(repeating: "x", count: $0))\n" }.joined()
        try text.write(toFile: path + "/big.csv", atomically: true, encoding: .utf8)
        let scanner = CSVScanner(input: try ChunkedInput(path: path + "/big.csv", name: "big.csv", chunkBytes: 64))
        var count = 0
        while case .row = try scanner.next() {
            let row = scanner.row
            #expect(row.fieldCount == 3)
            #expect(String(decoding: row.field(0), as: UTF8.self) == "r\(count)")
            #expect(String(decoding: row.field(1), as: UTF8.self) == "quoted, \(count)\nsecond line")
            #expect(row.field(2).count == count)
            #expect(row.line == 2 * count + 1)
            count += 1
        }
        #expect(count == 200)
    }

    @Test func canonicalFileWithCRLFAndBOMLoads() throws {
        let text = "\u{FEFF}member_id,birth_date,sex,death_date,favourite_colour\r\n\"M,1\",1960-01-01,F,,\"blue, light\"\r\nM2,19550704,M,20250101,red"
        let (records, report) = try RecordSet.fromCanonicalCSV([.members: text])
        #expect(report.rejects.isEmpty)
        #expect(records.memberIDs == ["M,1", "M2"])
        #expect(records.members[1] == Member(memberID: "M2", birthDate: day("1955-07-04"), sex: .male, deathDate: day("2025-01-01")))
    }

    @Test func missingOptionalColumnsReadAsAbsent() throws {
        // Required columns only, in another order, plus a column no record kind has: every optional
        // field (patient_pay, status, fill_number, rx_number, pharmacy_id, prescriber_id) reads as absent.
        let text = "note,paid_amount,quantity,days_supply,ndc,fill_date,member_id,claim_id\n"
            + "first,12.40,30,30,00093718056,2025-01-05,M1,C1\n"
            + ",0.00,90,90,00093718056,2025-02-04,M1,C2\n"
        let (records, report) = try RecordSet.fromCanonicalCSV([.pharmacyClaims: text])
        #expect(report.rejects.isEmpty)
        let fills = records.history(at: 0).fills
        #expect(fills.map(records.claimID) == ["C1", "C2"])
        let first = try #require(fills.first)
        #expect(first.paidAmount.description == "12.40")
        #expect(first.quantity == money("30"))
        #expect(first.daysSupply == 30)
        #expect(first.patientPay == nil)
        #expect(first.status == .paid)
        #expect(first.fillNumber == -1)
        #expect(first.pharmacy == -1 && first.prescriber == -1)
        #expect(records.rxNumber(of: first) == nil)
        #expect(fills.last?.fillDate == day("2025-02-04"))
    }

    @Test func typedFieldsOfTheCanonicalFixture() throws {
        let (records, report) = try RecordLoader.load(directory: try Fixture.directory("canonical"))
        #expect(report.rejects.isEmpty)
        #expect(report.summaries.filter { !$0.isBalanced }.isEmpty)
        let m1 = records.history(at: 0)
        #expect(m1.memberID == "M001")
        #expect(m1.fills.map(m1.claimID) == ["RX1001", "RX1002", "RX1003"])
        let first = try #require(m1.fills.first)
        #expect(first.fillDate == day("2025-01-05"))
        #expect(records.codes[first.ndc] == "00093718056")
        #expect(m1.fills.map { records.codes[$0.ndc] } == ["00093718056", "00093718056", "00093718056"])
        #expect(first.quantity == money("30"))
        #expect(first.paidAmount.description == "12.40")
        #expect(first.patientPay == money("5.00"))
        #expect(records.codes[first.pharmacy] == "Main St Pharmacy, Unit 2")
        #expect(first.fillNumber == 0)
        #expect(records.rxNumber(of: first) == "RX778812")
        #expect(m1.rxNumber(of: first) == "RX778812")
        #expect(first.supplyPeriod == Period(day("2025-01-05"), day("2025-02-03")))
        let m2 = records.history(at: 1)
        #expect(m2.fills.map(m2.claimID) == ["RX2001", "RX2003"])   // RX2002 paid + reversal cancelled
        #expect(m2.fills[m2.fills.startIndex].patientPay == nil)
        #expect(m2.member?.deathDate == day("2025-08-19"))
        #expect(m2.enrollments.map(\.period.dayCount) == [181, 50])
        let stay = try #require(m2.medicalClaims.first)
        #expect(records.diagnoses(of: stay).map { records.codes[$0] } == ["I214", "I10", "E785"])
        #expect(records.procedures(of: stay).map { records.codes[$0] } == ["92928"])
        #expect(stay.setting == .inpatient)
        #expect(stay.paidAmount == money("18450.00"))
        let m3 = records.history(at: 2)
        #expect(m3.fills.first?.status == .paid)
        #expect(m3.fills.first.flatMap(records.rxNumber) == nil)
        #expect(m3.fills.first.map { records.codes[$0.ndc] } == "59762332701")
        #expect(m3.observations.first?.value == .text(records.codes.id(of: "PD") ?? -1))
        #expect(m3.medicalClaims.first?.paidAmount == nil)
        #expect(records.history(at: 0).observations.map(\.value) == [.number(money("7.9")), .number(money("6.8"))])
        let pharmacy = try #require(report.summary("pharmacy_claims.csv"))
        #expect((pharmacy.read, pharmacy.accepted, pharmacy.cancelled) == (8, 6, 2))
        // The ranges evaluation reads by are the history's slices, member by member.
        for index in 0..<records.memberCount {
            let history = records.history(at: index), ranges = records.ranges(at: index)
            #expect(ranges == MemberRanges(
                enrollments: history.enrollments.indices, fills: history.fills.indices,
                medicalClaims: history.medicalClaims.indices, observations: history.observations.indices))
        }
        #expect(records.ranges(at: 1).fills.count == 2)
        #expect(records.ranges(at: 1).enrollments.count == 2)
    }
}

/// The 64-bytes-at-a-time path for plain rows must agree with the byte scanner wherever the row's
/// commas, line feed and the next row's quote, CR or non-ASCII bytes fall inside a 64-byte window.
@Suite struct CSVPlainRowTests {
    @Test func everyAlignmentGivesTheSameFields() throws {
        let wide = (0..<70).map { "f\($0)" }
        let tail = "ab,c\n\"q,1\",z\né,x\r\nst\"u,v\n\n,\nw,\"two\nlines\"\nlast,1\n" + wide.joined(separator: ",") + "\nend"
        for shift in 0..<130 {
            let first = String(repeating: "p", count: shift)
            let rows = try CSVReaderTests.scan(Array((first + ",1\n" + tail).utf8))
            #expect(rows.map(\.fields) == [
                [first, "1"], ["ab", "c"], ["q,1", "z"], ["é", "x"], ["st\"u", "v"], [""], ["", ""],
                ["w", "two\nlines"], ["last", "1"], wide, ["end"],
            ], "shift \(shift)")
            #expect(rows.map(\.line) == [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12], "shift \(shift)")
        }
    }

    @Test func flagsOfRowsTheWordPathHandsOver() throws {
        let scanner = CSVScanner(input: ChunkedInput(bytes: Array("plain,row\nst\"u,v\né,x\nok,ok\n".utf8), name: "t.csv"))
        var flags: [(malformed: Bool, high: Bool)] = []
        while case .row = try scanner.next() { flags.append((scanner.row.malformedQuote, scanner.row.hasHighBytes)) }
        #expect(flags.map(\.malformed) == [false, true, false, false])
        #expect(flags.map(\.high) == [false, false, true, false])
    }
}
