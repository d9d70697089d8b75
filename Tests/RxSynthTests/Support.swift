@testable import RxSynth
import RxValues

/// Generated files split into lines and fields (the generator never quotes, so a comma split is exact).
struct Table {
    let header: String
    let lines: [String]
    var rows: [[String]] { lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } }

    init(_ bytes: [UInt8]) {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if lines.last == "" { lines.removeLast() }
        header = lines.first ?? ""
        self.lines = Array(lines.dropFirst())
    }
}

/// One generated data set, in memory, with its tables parsed.
struct Generated {
    let files: [String: [UInt8]]
    let summary: SynthSummary

    init(members: Int, seed: UInt64, year: Int = 2025, corruptionPerMillion: Int = 0, threads: Int = 1) throws {
        let configuration = SynthConfiguration(members: members, seed: seed, measurementYear: year,
                                               corruptionPerMillion: corruptionPerMillion, threads: threads)
        (files, summary) = try SynthGenerator(configuration: configuration).generateInMemory()
    }

    func table(_ file: SynthFile) -> Table { Table(files[file.fileName] ?? []) }
}

/// The data-model contract for one row, checked independently of the generator: nil when the row
/// is valid, else the reason.
func contractViolation(_ file: SynthFile, _ line: String) -> String? {
    let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    guard line.filter({ $0 == "\"" }).count % 2 == 0 else { return "unterminated quote" }
    guard fields.count == file.columns.count else { return "column count \(fields.count)" }
    guard line.utf8.allSatisfy({ $0 < 0x80 }) else { return "non-ASCII bytes" }
    func date(_ index: Int) -> Bool { Day(fields[index]) != nil }
    func money(_ index: Int) -> Bool {
        guard let value = ExactDecimal(fields[index]) else { return false }
        return value.scale == 2 && !value.isNegative
    }
    let required: [Int]
    switch file {
    case .members: required = [0, 1, 2]
    case .enrollment: required = [0, 1, 2, 3]
    case .pharmacyClaims: required = [0, 1, 2, 3, 4, 5, 6]
    case .medicalClaims: required = [0, 1, 2, 3, 4]
    case .observations: required = [0, 1, 2, 3]
    }
    for index in required where fields[index].isEmpty { return "missing \(file.columns[index])" }
    switch file {
    case .members:
        guard date(1), fields[3].isEmpty || date(3) else { return "bad date" }
        guard ["F", "M", "U"].contains(fields[2]) else { return "bad sex" }
    case .enrollment:
        guard date(2), date(3) else { return "bad date" }
    case .pharmacyClaims:
        guard date(2) else { return "bad date" }
        guard fields[3].count == 11, fields[3].allSatisfy(\.isNumber) else { return "bad ndc" }
        guard let supply = Int(fields[4]), (1...365).contains(supply) else { return "bad days_supply" }
        guard let quantity = ExactDecimal(fields[5]), quantity > ExactDecimal.zero else { return "bad quantity" }
        guard money(6), money(7) else { return "bad money" }
        guard ["paid", "reversed"].contains(fields[8]) else { return "bad status" }
    case .medicalClaims:
        guard date(2), date(3) else { return "bad date" }
        guard ["inpatient", "snf", "hospice", "outpatient", "er", "professional"].contains(fields[4])
        else { return "bad setting" }
        guard money(7) else { return "bad money" }
    case .observations:
        guard date(1) else { return "bad date" }
    }
    return nil
}
