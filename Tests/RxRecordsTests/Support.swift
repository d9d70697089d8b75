import Foundation
import Testing
@testable import RxRecords
import RxValues

/// Helpers shared by the record tests.
enum Fixture {
    /// The folder of a fixture layout (`canonical`, `synpuf`, `fhir`, `user`).
    static func directory(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return url.appendingPathComponent(name).path
    }

    /// A fresh empty temporary directory, removed by the caller with `remove`.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rxrecords-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }
}

extension RecordSet {
    /// Member id of each fill, in grouped order.
    var fillMembers: [String] { fills.map { memberIDs[Int($0.member)] } }

    /// Every kind written as canonical CSV: a complete, id-independent picture of the contents.
    var canonicalText: [String] { RecordKind.allCases.map { CanonicalWriter.text(self, kind: $0, format: .csv) } }
}

extension LoadReport {
    func summary(_ file: String) -> ReadSummary? { summaries.first { $0.file == file } }
}

func money(_ text: String) -> ExactDecimal { ExactDecimal(text) ?? .zero }
func day(_ text: String) -> Day { Day(text) ?? Day(number: Int32.min) }

/// A small deterministic generator (SplitMix64), so a failing property names a reproducible seed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
