import Testing
@testable import RxRecords
import RxValues

@Suite struct MapTests {
    @Test func synpufSamplesLoadToExpectedRecords() throws {
        let (records, report) = try RecordLoader.load(directory: try Fixture.directory("synpuf"), map: .synpuf)
        #expect(records.memberIDs == ["00013D2EFD8E45D1", "00016F745862898F", "0001FDD721E223DC"])
        #expect(records.members.map { $0?.sex } == [.male, .male, .female])
        #expect(records.members[0]?.birthDate == day("1923-05-01"))
        #expect(records.members[1]?.deathDate == day("2009-12-01"))   // from the 2009 summary file
        #expect(records.fills.map(records.claimID) == ["233004438529213", "233234453129931", "233514473418213"])
        let fill = records.fills[0]
        #expect(fill.fillDate == day("2008-03-12"))
        #expect(records.codes[fill.ndc] == "00093505201")
        #expect(fill.daysSupply == 30 && fill.quantity == money("30"))
        #expect(fill.paidAmount == money("10.00") && fill.patientPay == money("10.00"))
        #expect(records.fills[2].paidAmount == money("60.00"))
        #expect(report.rejects.map { "\($0.file):\($0.line) \($0.field)" }
            == ["DE1_0_2008_to_2010_Prescription_Drug_Events_Sample_1.csv:5 days_supply"])

        func describe(_ claim: MedicalClaim) -> String {
            "\(claim.claimID) \(claim.setting.code) \(claim.period) dx=\(records.diagnoses(of: claim).map { records.codes[$0] }.joined(separator: "|"))"
                + " proc=\(records.procedures(of: claim).map { records.codes[$0] }.joined(separator: "|")) paid=\(claim.paidAmount?.description ?? "-")"
        }
        #expect(records.medicalClaims.map(describe) == [
            "196661176988405 inpatient 2010-03-12..2010-03-13 dx=4280|2724|2720|V4581 proc=3893 paid=4000.00",
            "196201177000368 inpatient 2009-04-12..2009-04-18 dx=41071|4280|42731 proc=3722|8856 paid=26000.00",
            "887733775971118 professional 2009-10-05..2009-10-05 dx=4011|2724 proc=99213|80061 paid=70.50",
            "542192281063886 outpatient 2009-06-02..2009-06-02 dx=V5883|25000 proc=85610 paid=50.00",
        ])
        let inpatient = try #require(report.summary("DE1_0_2008_to_2010_Inpatient_Claims_Sample_1.csv"))
        #expect((inpatient.read, inpatient.accepted, inpatient.skipped) == (3, 2, 1))
        #expect(report.summaries.filter { !$0.isBalanced }.isEmpty)
    }

    @Test func fhirBulkSamplesLoadToExpectedRecords() throws {
        let (records, report) = try RecordLoader.load(directory: try Fixture.directory("fhir"), map: .fhir)
        #expect(records.memberIDs == ["pat-1", "pat-2"])
        #expect(records.members[0] == Member(memberID: "pat-1", birthDate: day("1957-06-21"), sex: .female, deathDate: nil))
        #expect(records.members[1]?.deathDate == day("2025-10-03"))
        #expect(records.enrollments.map { "\(records.codes[$0.plan]) \($0.period)" }
            == ["PDP-S5601 2025-01-01..2025-12-31", "MAPD-H1234 2025-01-01..2025-10-03"])
        let dispense = records.fills[0]
        #expect(records.claimID(of: dispense) == "md-1" && dispense.fillDate == day("2025-01-10"))
        #expect(records.codes[dispense.ndc] == "00071015623")
        #expect(dispense.daysSupply == 30 && dispense.quantity == money("30") && dispense.paidAmount == money("0"))
        let eob = records.fills[1]
        #expect(records.claimID(of: eob) == "eob-rx-1" && eob.fillDate == day("2025-03-04") && eob.daysSupply == 90)
        #expect(eob.quantity == money("180") && eob.paidAmount == money("22.15") && eob.patientPay == money("4.00"))
        #expect(eob.fillNumber == 2)
        let stay = try #require(records.medicalClaims.first)
        #expect(stay.setting == .inpatient && stay.period == Period(day("2025-05-01"), day("2025-05-06")))
        #expect(records.diagnoses(of: stay).map { records.codes[$0] } == ["I509", "I10"])   // principal first
        #expect(stay.paidAmount == money("9800.00"))
        #expect(records.observations.map(\.value) == [.number(money("7.2")), .text(records.codes.id(of: "Negative") ?? -1)])
        #expect(records.codes[records.observations[0].unit] == "%")
        #expect(report.rejects.map { "\($0.file):\($0.line) \($0.reason)" } == [
            "MedicationDispense.ndjson:2 MedicationDispense status 'cancelled' is not completed",
            "MedicationDispense.ndjson:3 MedicationDispense status 'entered-in-error' is not completed",
        ])
        let dispenses = try #require(report.summary("MedicationDispense.ndjson"))
        #expect((dispenses.read, dispenses.accepted, dispenses.rejected) == (3, 1, 2))
    }

    @Test func userMapFileLoadsAnExtract() throws {
        let directory = try Fixture.directory("user")
        let text = try String(contentsOfFile: directory + "/claims_map.txt", encoding: .utf8)
        let map = try UserMap.parse(text)
        #expect(map.sections[.pharmacyClaims]?.rules["fill_date"] == .date("DATE_OF_SERVICE", DatePattern("MM/DD/YYYY")!))
        #expect(map.sections[.pharmacyClaims]?.rules["status"] == .constant("paid"))
        let (records, report) = try RecordLoader.load(directory: directory, map: .user(map))
        #expect(records.members.map { $0?.sex } == [.female, .male])
        #expect(records.members[0]?.birthDate == day("1962-04-17"))
        #expect(records.fills.map(records.claimID) == ["900001"])
        #expect(records.fills[0].fillDate == day("2025-01-31"))
        #expect(records.codes[records.fills[0].ndc] == "00093718056")
        #expect(records.fills[0].patientPay == money("3.00"))
        #expect(report.rejects.map { "\($0.file):\($0.line) \($0.field) \($0.reason)" }
            == ["rx_extract.csv:3 fill_date bad or impossible date '02/30/2025'"])
    }

    @Test func userMapErrorsNameTheLine() {
        #expect(throws: UserMap.ParseError(line: 2, message: "'colour' is not a field of members (member_id, birth_date, sex, death_date)")) {
            try UserMap.parse("[members]\ncolour = C\nfile = m.csv")
        }
        #expect(throws: UserMap.ParseError(line: 1, message: "unknown section [claims]; expected [members], [enrollment], [pharmacy_claims], [medical_claims] or [observations]")) {
            try UserMap.parse("[claims]")
        }
        #expect(throws: UserMap.ParseError(line: 3, message: "date format 'DD-MM' needs YYYY, MM and DD once each")) {
            try UserMap.parse("[members]\nfile = m.csv\ndate_format = DD-MM")
        }
    }
}

@Suite struct FHIRRejectTests {
    @Test func unreadResourceTypesAndBrokenLinesAreRejectsNotDrops() throws {
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        let text = """
            {"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"}}
            {"resourceType":"Patient","id":"p1","gender":"female","birthDate":"1970-02-30"}
            {"resourceType":"Patient","id":"p2","gender":"unknown","birthDate":"1970-03-01"}
            {"resourceType":"Patient"
            """
        try text.write(toFile: directory + "/export.ndjson", atomically: true, encoding: .utf8)
        let (records, report) = try RecordLoader.load(directory: directory, map: .fhir)
        #expect(report.rejects.map { "\($0.line) \($0.field)" } == ["1 resourceType", "2 birth_date", "4 "])
        #expect(records.members.compactMap { $0?.sex } == [.unknown])
        #expect(report.totalRead == 4)
        #expect(report.summaries.filter { !$0.isBalanced }.isEmpty)
    }
}
