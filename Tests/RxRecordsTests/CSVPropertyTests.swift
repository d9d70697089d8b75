import Foundation
import Testing
@testable import RxRecords

@Suite struct CSVPropertyTests {
    typealias Generator = SplitMix

    static func field(_ random: inout Generator) -> String {
        let alphabet: [String] = ["a", "b", "7", ",", "\"", "\n", "\r\n", " ", "é", "-", "x"]
        return (0..<random.below(6)).map { _ in alphabet[random.below(alphabet.count)] }.joined()
    }

    @Test(arguments: [1 as UInt64, 2, 3, 4, 5])
    func writtenRowsScanBackExactly(seed: UInt64) throws {
        var random = Generator(state: seed)
        var rows: [[String]] = []
        for _ in 0..<300 {
            rows.append((0..<4).map { _ in Self.field(&random) })
        }
        // Rows whose only field is empty would be blank lines: give every row a non-empty first field.
        rows = rows.map { ["r"] + $0 }
        var text = rows.map(CSVWriter.line).joined()
        if seed % 2 == 0 { text = String(text.dropLast()) }   // with and without a final newline
        let directory = try Fixture.temporaryDirectory()
        defer { Fixture.remove(directory) }
        try text.write(toFile: directory + "/p.csv", atomically: true, encoding: .utf8)
        for chunk in [16, 97, 1 << 16] {
            let scanner = CSVScanner(input: try ChunkedInput(path: directory + "/p.csv", name: "p.csv", chunkBytes: chunk))
            var scanned: [[String]] = []
            var lines: [Int] = []
            while case .row = try scanner.next() {
                let row = scanner.row
                #expect(!row.malformedQuote)
                scanned.append((0..<row.fieldCount).map { String(decoding: row.field($0), as: UTF8.self) })
                lines.append(row.line)
            }
            #expect(scanned == rows)
            // Each row starts one line after the previous row's embedded line breaks.
            var expectedLine = 1
            for (row, line) in zip(rows, lines) {
                #expect(line == expectedLine)
                expectedLine += 1 + row.joined().filter { $0 == "\n" || $0 == "\r\n" }.count
            }
        }
    }
}
