import ArgumentParser
import Foundation
import Testing

@testable import RxCommands

/// The repository's real packs.
let realPacks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("rules").path

@Suite("rxrules test")
struct TestCommandTests {
    @Test("the real packs' tests all pass; one line per test, a summary and the unreached clauses")
    func realPacksPass() throws {
        let run = try TestRun.run(paths: [realPacks])
        #expect(run.passed)
        let lines = run.text.split(separator: "\n")
        let testCount = run.reports.reduce(0) { $0 + $1.tests.count }
        #expect(lines.filter { $0.hasPrefix("pass  ") }.count == testCount)
        #expect(lines.contains { $0 == "\(testCount) tests: \(testCount) passed, 0 failed" })
        #expect(run.text.contains("pqa-adherence: T11 worked example with the inpatient stay adjustment"))
        #expect(run.text.contains("never reached by a test:") || run.text.contains("every clause and branch was reached"))
        let command = try TestCommand.parse([realPacks])
        try command.run()
    }

    @Test("a failing expect prints expected, actual and its location, and exits 1")
    func failingTestExitsOne() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
            pack "tiny" version "1.0.0"
              currency USD
            measure fills_seen "fills"
              include when true
              value n = count(fills)
            test "two fills counted as three" {
              member birth_date 1960-01-01 sex F
              fill 2025-01-01 ndc 00000000101 days 30
              fill 2025-02-01 ndc 00000000101 days 30
              expect fills_seen.n = 3
            }
            """.write(toFile: folder + "/pack.rules", atomically: true, encoding: .utf8)
        let run = try TestRun.run(paths: [folder])
        #expect(!run.passed)
        #expect(run.text.contains("FAIL  tiny: two fills counted as three"))
        #expect(run.text.contains("pack.rules:10:3: expected 3, got 2"))
        #expect(run.text.contains("1 tests: 0 passed, 1 failed"))
        let command = try TestCommand.parse([folder])
        #expect(throws: ExitCode.self) { try command.run() }
    }
}
