import Testing
@testable import RxRecords

@Suite struct ReversalRowsTests {
    static func append(_ rows: inout ReversalRows, file: UInt16, line: Int, _ text: String) {
        var text = text
        text.withUTF8 { rows.append(file: file, line: line, raw: $0) }
    }

    @Test func rowsAreFoundByFileAndLineInEitherOrder() {
        var rows = ReversalRows()
        Self.append(&rows, file: 0, line: 3, "a,reversed")
        Self.append(&rows, file: 0, line: 9, "")
        Self.append(&rows, file: 1, line: 2, "b,reversed")
        #expect(rows.raw(file: 0, line: 3) == "a,reversed")
        #expect(rows.raw(file: 0, line: 9) == "")
        #expect(rows.raw(file: 1, line: 2) == "b,reversed")
        #expect(rows.raw(file: 0, line: 2) == nil)
        #expect(rows.raw(file: 1, line: 3) == nil)
        // Out of order (partitions, several readers): still found, by a scan.
        Self.append(&rows, file: 0, line: 1, "c,reversed")
        #expect(rows.raw(file: 0, line: 1) == "c,reversed")
        #expect(rows.raw(file: 1, line: 2) == "b,reversed")
    }

    @Test func anotherReadersRowsFollowWithShiftedLines() {
        var first = ReversalRows(), second = ReversalRows()
        Self.append(&first, file: 2, line: 5, "first")
        Self.append(&second, file: 2, line: 1, "second")
        Self.append(&second, file: 2, line: 4, "third")
        first.append(second, lineOffset: 10)
        #expect(first.count == 3)
        #expect(first.raw(file: 2, line: 5) == "first")
        #expect(first.raw(file: 2, line: 11) == "second")
        #expect(first.raw(file: 2, line: 14) == "third")
        #expect(first.raw(file: 2, line: 4) == nil)
    }
}
