import ArgumentParser
import Foundation
import Testing
@testable import RxCommands
@testable import RxSynth

@Suite("rxrules synth")
struct SynthCommandTests {
    @Test("options parse into a validated configuration")
    func parses() throws {
        let command = try SynthCommand.parse([
            "--members", "50", "--seed", "9", "--out", "out", "--year", "2026", "--corrupt-rate", "0.001",
            "--threads", "2",
        ])
        #expect(try command.synthConfiguration() == SynthConfiguration(
            members: 50, seed: 9, measurementYear: 2026, corruptionPerMillion: 1_000, threads: 2))
    }

    @Test("the subcommand is registered on the host")
    func registered() throws {
        let parsed = try RxRulesCommand.parseAsRoot(["synth", "--members", "1", "--seed", "1", "--out", "x"])
        #expect(parsed is SynthCommand)
    }

    @Test("bad values are validation errors naming the option", arguments: [
        (["--members", "0"], "--members"), (["--members", "5", "--corrupt-rate", "1.5"], "--corrupt-rate"),
        (["--members", "5", "--year", "12"], "--year"),
    ])
    func rejects(arguments: [String], option: String) throws {
        // Validation runs at parse time, so nothing is written for a bad value.
        do {
            _ = try SynthCommand.parse(arguments + ["--seed", "1", "--out", "out"])
            Issue.record("expected a validation error")
        } catch {
            #expect(SynthCommand.exitCode(for: error) == .validationFailure)
            #expect(SynthCommand.message(for: error).contains(option))
        }
    }

    @Test("a run writes the folder and the report lists files with their row counts")
    func runWrites() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("rxsynth-command-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let command = try SynthCommand.parse(["--members", "40", "--seed", "5", "--out", folder.path])
        try command.run()
        let members = try String(contentsOf: folder.appendingPathComponent("members.csv"), encoding: .utf8)
        #expect(members.split(separator: "\n").count == 41)
        let summary = try SynthGenerator(configuration: command.synthConfiguration()).generateInMemory().summary
        let report = SynthCommand.report(summary: summary, folder: "out")
        #expect(report.hasPrefix("wrote out\n"))
        #expect(report.contains("  members.csv                   40 rows\n"))
        #expect(report.contains("pharmacy_claims.csv"))
        #expect(report.contains("behaviour mix:"))
        #expect(!report.contains("corrupted rows:"))
    }
}
