import RxEngine
import RxRecords
import RxValues
import Testing

@testable import RxCommands

/// Result rows are written as CSV bytes directly; they must read as the text form would.
@Suite("Result row bytes")
struct RowWriterTests {
    @Test("integers keep their sign and every digit", arguments: [0, 7, 10, -42, 1_000_000, Int.max, Int.min])
    func digits(_ number: Int) {
        var bytes: [UInt8] = [UInt8(ascii: "x")]
        ValueFormatter.digits(number, into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x" + String(number))
    }

    @Test("values written directly match their text, quoted only when needed")
    func valuesMatchText() throws {
        let (records, _) = try RecordSet.fromCanonicalCSV([.members: "member_id,birth_date,sex,death_date\nm1,1950-01-01,F,\n"])
        let formatter = ValueFormatter(decimals: 4)
        let values: [Value] = [
            .missing, .bool(true), .bool(false), .int(-3), .days(365), .months(12),
            .date(Day(year: 2025, month: 2, day: 9) ?? Day(number: 0)),
            .decimal(Rational(348, 365) ?? Rational(integer: 0)), .string("plain"), .string("a, \"quoted\" text"),
            .decimal(Rational(-1, 8) ?? Rational(integer: 0)), .decimal(Rational(integer: 2)),
            .money(ExactDecimal(units: -12_345, scale: 3)), .money(ExactDecimal(units: 7, scale: 0)),
        ]
        var writer = RowWriter()
        for value in values { formatter.write(value, records: records, into: &writer) }
        let expected = values.map { CSVWriter.quoteIfNeeded(formatter.text($0, records: records)) + "," }.joined()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
        #expect(expected.hasPrefix(",true,false,-3,365,12,2025-02-09,0.9534,plain,\"a, \"\"quoted\"\" text\","))
        #expect(expected.hasSuffix(",-0.1250,2.0000,-12.34,7.00,"))
    }
}
