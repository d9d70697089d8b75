import Testing
@testable import RxValues

@Suite struct DayTests {
    @Test func epochAndKnownDates() {
        #expect(Day("1970-01-01")?.number == 0)
        #expect(Day("2025-01-01")?.number == 20089)
        #expect(Day("20250101") == Day("2025-01-01"))
        #expect(Day("2000-02-29") != nil)
    }

    @Test(arguments: ["2025-02-29", "2025-02-30", "2025-13-01", "2025-00-10", "2025-04-31",
                      "1900-02-29", "2025-1-01", "2025/01/01", "", "abcd-ef-gh", "0000-01-01"])
    func rejectsImpossibleDates(_ text: String) {
        #expect(Day(text) == nil)
    }

    @Test func roundTripsEveryDayOfFourCenturies() {
        var day = Day(year: 1800, month: 1, day: 1)!
        let end = Day(year: 2200, month: 12, day: 31)!
        while day <= end {
            let (y, m, d) = day.civil
            #expect(Day(year: y, month: m, day: d) == day)
            #expect(Day(day.description) == day)
            day = day + 1
        }
    }

    @Test func appendedDescriptionIsTheDescription() {
        for number in stride(from: -800_000, through: 3_000_000, by: 997) {
            let day = Day(number: Int32(number))
            var bytes: [UInt8] = [UInt8(ascii: ",")]
            day.appendDescription(to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == "," + day.description)
        }
    }

    /// The claim-date fast path (1901...2099) against the general conversion, impossible dates included.
    @Test func everyYearMonthDayTextAroundTheFastRangeParsesLikeTheGeneralConversion() {
        for year in [1, 1582, 1600, 1700, 1899, 9999] + Array(1900...2101) {
            for month in 0...13 {
                for day in 0...32 {
                    func pad(_ value: Int, _ width: Int) -> String {
                        String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
                    }
                    let text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
                    #expect(Day(text) == Day(year: year, month: month, day: day), "\(text)")
                }
            }
        }
        #expect(Day("1901-01-01")?.number == -25202)
        #expect(Day("2099-12-31")?.number == 47481)
        #expect(Day("2024-02-29")?.number == 19782)
    }

    @Test func descriptionPadsEveryPart() {
        #expect(Day(year: 5, month: 3, day: 7)?.description == "0005-03-07")
        #expect(Day(year: 9999, month: 12, day: 31)?.description == "9999-12-31")
        #expect(Day(year: 2025, month: 10, day: 1)?.description == "2025-10-01")
        // Past the four-digit fast path the year is written in full.
        #expect(Day(year: 9999, month: 12, day: 31).map { ($0 + 2).description } == "10000-01-02")
    }

        @Test func pqaIntervalConvention() {
        // PQA: a 90-day fill on 25 Mar ends 22 Jun (inclusive interval D ... D+S-1).
        let fill = Day("2018-03-25")!
        #expect((fill + 89).description == "2018-06-22")
        // Treatment period 2 Oct - 31 Dec is 91 days (domain.md T5).
        #expect(Period(Day("2025-10-02")!, Day("2025-12-31")!).dayCount == 91)
        #expect(Period(Day("2025-10-05")!, Day("2025-12-31")!).dayCount == 88)
    }

    @Test func ageAndMonths() {
        let birth = Day("1960-05-01")!
        #expect(birth.age(at: Day("2025-04-30")!) == 64)
        #expect(birth.age(at: Day("2025-05-01")!) == 65)
        #expect(Day("2025-01-31")!.adding(months: 1) == Day("2025-02-28"))
        #expect(Day("2024-01-31")!.adding(months: 1) == Day("2024-02-29"))
        #expect(Day("2025-11-30")!.adding(months: 3) == Day("2026-02-28"))
    }

    @Test func periodOverlap() {
        let year = Period(Day("2025-01-01")!, Day("2025-12-31")!)
        #expect(year.dayCount == 365)
        #expect(year.overlaps(Period(Day("2024-12-20")!, Day("2025-01-01")!)))
        #expect(!year.overlaps(Period(Day("2024-12-20")!, Day("2024-12-31")!)))
        #expect(Period(Day("2025-01-02")!, Day("2025-01-01")!).isEmpty)
    }
}
