import Foundation
import Testing
@testable import RxRecords
import RxValues

@Suite struct RoundTripTests {
    @Test func csvToNDJSONToRecordsIsIdentity() throws {
        let (original, _) = try RecordLoader.load(directory: try Fixture.directory("canonical"))
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        try CanonicalWriter.write(original, to: directory, format: .ndjson)
        let (again, report) = try RecordLoader.load(directory: directory)
        #expect(report.rejects.isEmpty)
        #expect(report.summaries.map(\.file) == RecordKind.allCases.map { $0.fileStem + ".ndjson" })
        #expect(again.canonicalText == original.canonicalText)
        #expect(again.memberIDs == original.memberIDs)
        #expect(again.members == original.members)
        // Field by field, with codes compared as strings (ids depend on reading order).
        #expect(again.fills.count == original.fills.count)
        for (a, b) in zip(again.fills, original.fills) {
            #expect(again.claimID(of: a) == original.claimID(of: b) && a.fillDate == b.fillDate && a.daysSupply == b.daysSupply)
            #expect(a.quantity == b.quantity && a.paidAmount.description == b.paidAmount.description)
            #expect(a.patientPay == b.patientPay && a.fillNumber == b.fillNumber && a.status == b.status)
            #expect(again.codes[a.ndc] == original.codes[b.ndc])
        }
        for (a, b) in zip(again.observations, original.observations) {
            #expect(a.date == b.date && again.codes[a.code] == original.codes[b.code])
        }
        let line = try String(contentsOfFile: directory + "/pharmacy_claims.ndjson", encoding: .utf8).split(separator: "\n")[0]
        #expect(line == #"{"claim_id":"RX1001","member_id":"M001","fill_date":"2025-01-05","ndc":"00093718056","days_supply":30,"quantity":30,"paid_amount":12.40,"patient_pay":5.00,"status":"paid","rx_number":"RX778812","fill_number":0,"pharmacy_id":"Main St Pharmacy, Unit 2","prescriber_id":"1234567893"}"#)
    }

    @Test func csvToCSVIsIdentity() throws {
        let (original, _) = try RecordLoader.load(directory: try Fixture.directory("canonical"))
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        try CanonicalWriter.write(original, to: directory, format: .csv)
        let (again, report) = try RecordLoader.load(directory: directory)
        #expect(report.rejects.isEmpty)
        #expect(again.canonicalText == original.canonicalText)
    }

    @Test func ndjsonRowsWithNestedOrBadValuesAreRejected() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let text = """
            {"member_id":"M1","date":"2025-01-02","code":"4548-4","value":7.1,"unit":"%"}
            {"member_id":"M1","date":"2025-01-03","code":"4548-4","value":{"v":7}}
            not json

            {"member_id":"M1","date":"2025-13-03","code":"4548-4","value":"7"}
            {"member_id":"M1","date":"2025-01-04","code":"4548-4","value":"7.3","extra":[1,2]}
            """
        try text.write(toFile: directory + "/observations.ndjson", atomically: true, encoding: .utf8)
        let (records, report) = try RecordLoader.load(directory: directory)
        #expect(report.rejects.map { "\($0.line) \($0.field)" } == ["2 value", "3 ", "5 date"])
        #expect(records.observations.map(\.date) == [day("2025-01-02"), day("2025-01-04")])
        let summary = try #require(report.summary("observations.ndjson"))
        #expect((summary.read, summary.accepted, summary.rejected) == (5, 2, 3))
    }
}
