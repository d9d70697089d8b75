import RxValues
import Testing
@testable import RxSynth

/// Renders with a fresh scratch row and returns the text.
private func render(_ body: (inout RowScratch) -> Void) -> String {
    var scratch = RowScratch()
    body(&scratch)
    var buffer: [UInt8] = []
    scratch.flush(into: &buffer)
    return String(decoding: buffer, as: UTF8.self)
}

@Suite("Row rendering")
struct RowScratchTests {
    @Test("integers, with and without zero padding", arguments: [
        (0, 1, "0"), (7, 4, "0007"), (42, 1, "42"), (12_345, 3, "12345"), (-5, 1, "-5"),
        (99_999_999, 8, "99999999"), (Int.max, 1, "9223372036854775807"),
    ])
    func numbers(value: Int, width: Int, expected: String) {
        #expect(render { $0.number(value, width: width) } == expected)
    }

    @Test("money always has two fraction digits", arguments: [
        (0, "0.00"), (5, "0.05"), (1_234, "12.34"), (100, "1.00"), (-250, "-2.50"), (1_060_000, "10600.00"),
    ])
    func money(cents: Int, expected: String) {
        #expect(render { $0.money(cents: cents) } == expected)
        #expect(ExactDecimal(expected)?.units == Int64(cents))
    }

    @Test("tenths drop a zero fraction", arguments: [(150, "15"), (15, "1.5"), (3, "0.3"), (840, "84")])
    func tenths(value: Int, expected: String) {
        #expect(render { $0.tenths(value) } == expected)
    }

    @Test("a row is flushed once and the scratch starts over")
    func flush() {
        var scratch = RowScratch()
        var buffer: [UInt8] = []
        scratch.ascii("a")
        scratch.comma()
        scratch.text("bé")
        scratch.newline()
        scratch.flush(into: &buffer)
        scratch.number(1)
        scratch.flush(into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "a,bé\n1")
    }

    @Test("dates render as ISO days, inside the table and outside it")
    func dates() throws {
        let first = try #require(Day(year: 2024, month: 2, day: 28))
        let table = DateTable(from: first, through: first + 3)
        for (day, expected) in [(first, "2024-02-28"), (first + 1, "2024-02-29"), (first + 3, "2024-03-02"),
                                (first - 1, "2024-02-27"), (first + 400, "2025-04-03")] {
            #expect(render { table.write(day, to: &$0) } == expected)
        }
    }
}
