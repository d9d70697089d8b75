import Foundation
import RxValues
import Testing

/// The adherer-cma pack on AdhereR's own example data, read through the pack's column map. The data
/// belongs to AdhereR's authors and is not in this repository: the test reads it from the shared
/// folder beside the repository and is skipped, saying so, where it is absent.
@Suite struct AdhereRPackTests {
    static let events = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/data/adherer/med_events.csv")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: events.path),
                   "AdhereR's med_events.csv is not beside the repository (../shared/data/adherer/)"))
    func everyPatientGetsConsistentCMAs() throws {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let data = scratch.appendingPathComponent("data"), out = scratch.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: data.appendingPathComponent("med_events.csv"), withDestinationURL: Self.events)
        let result = try rxrules(["run", "--pack", "rules/adherer-cma", "--data", data.path, "--out", out.path,
                                  "--map", "rules/adherer-cma/med_events.map", "--decimals", "12"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("read med_events.csv: 1080 rows = 1080 accepted + 0 rejected"))
        var values: [Int: [String: ExactDecimal?]] = [:]
        for n in 1...9 {
            let rows = csvRows(try String(contentsOf: out.appendingPathComponent("cma\(n).csv"), encoding: .utf8)).dropFirst()
            #expect(rows.count == 100, "cma\(n): one row per patient")
            for row in rows { values[n, default: [:]][row[0]] = ExactDecimal(row[1]) }
        }
        let one = ExactDecimal(1)
        for patient in values[1, default: [:]].keys {
            let cma1 = values[1]?[patient] ?? nil, cma2 = values[2]?[patient] ?? nil
            // CMA3 and CMA4 are CMA1 and CMA2 capped at 1 (AdhereR's definitions).
            #expect((values[3]?[patient] ?? nil) == cma1.map { min($0, one) }, "patient \(patient)")
            #expect((values[4]?[patient] ?? nil) == cma2.map { min($0, one) }, "patient \(patient)")
            for n in 5...9 {
                if let value = values[n]?[patient] ?? nil {
                    #expect(value >= .zero && value <= one, "CMA\(n) of patient \(patient) is \(value)")
                }
            }
        }
        // CMA7's denominator is the whole observation window, so every patient with events has one.
        #expect(values[7, default: [:]].values.allSatisfy { $0 != nil })
    }
}
