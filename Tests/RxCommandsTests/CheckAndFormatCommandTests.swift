import ArgumentParser
import Foundation
import RxLanguage
import Testing

@testable import RxCommands

/// The sample packs of the language tests.
let samplePacks = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("RxLanguageTests/Fixtures/packs").path
let semanticCases = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("RxLanguageTests/Fixtures/semantic").path

/// A fresh temporary folder for one test.
func temporaryFolder() throws -> String {
    let path = NSTemporaryDirectory() + "rxrules-commands-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

@Suite("rxrules check")
struct CheckCommandTests {
    @Test("a folder of packs is discovered and checks clean")
    func folderOfPacks() throws {
        let run = try CheckRun.run(paths: [samplePacks], overrides: [])
        #expect(run.packCount == 3)
        #expect(run.errorCount == 0)
        #expect(run.warningCount == 0)
        #expect(run.summary == "checked 3 packs: no errors, no warnings")
        var command = try CheckCommand.parse([samplePacks, "--color", "never"])
        try command.validate()
        try command.run()
    }

    @Test("a pack with errors exits 1, and file IDs stay distinct across packs")
    func errorsExitOne() throws {
        let broken = semanticCases + "/unknownName"
        let run = try CheckRun.run(paths: [broken, samplePacks + "/edits-sample"], overrides: [])
        #expect(run.errorCount == 1)
        #expect(Set(run.sources.map(\.id)).count == run.sources.count)
        let command = try CheckCommand.parse([broken, "--format", "json"])
        #expect(throws: ExitCode(ExitStatus.failure)) { try command.run() }
    }

    @Test("--param is parsed, checked against the declared type, and must name a parameter")
    func parameters() throws {
        let pack = samplePacks + "/adherence-sample"
        #expect(try CheckRun.run(paths: [pack], overrides: [ParameterOverride(name: "threshold", text: "0.9")]).errorCount == 0)
        let bad = try CheckRun.run(paths: [pack], overrides: [ParameterOverride(name: "threshold", text: "high")])
        #expect(bad.diagnostics.map(\.id.name) == ["badParameterOverride"])
        #expect(throws: (any Error).self) {
            _ = try CheckRun.run(paths: [samplePacks], overrides: [ParameterOverride(name: "no_such", text: "1")])
        }
        #expect(throws: (any Error).self) {
            var command = try CheckCommand.parse([pack, "--param", "threshold"])
            try command.validate()
        }
    }

    @Test("a path without packs is a usage error")
    func noPacks() throws {
        let empty = try temporaryFolder()
        #expect(throws: ValidationError.self) { _ = try CheckRun.run(paths: [empty], overrides: []) }
    }
}

@Suite("rxrules fmt")
struct FormatCommandTests {
    @Test("--check lists a file that would change and exits 1; fmt rewrites it; then --check passes")
    func checkThenFormat() throws {
        let folder = try temporaryFolder()
        let path = folder + "/pack.rules"
        let messy = "pack \"p\"   version \"1.0.0\"\nparameter  threshold : Decimal=0.80\n"
        try Data(messy.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try FormatRun.ruleFiles(in: [folder]) == [path])
        let check = try FormatCommand.parse(["--check", folder])
        #expect(throws: ExitCode(ExitStatus.failure)) { try check.run() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == messy)
        try FormatCommand.parse([folder]).run()
        let formatted = try String(contentsOfFile: path, encoding: .utf8)
        #expect(formatted != messy)
        #expect(formatted.contains("parameter threshold: Decimal = 0.80"))
        try FormatCommand.parse(["--check", folder]).run()
    }

    @Test("a file with syntax errors is left alone and fails")
    func syntaxErrors() throws {
        let folder = try temporaryFolder()
        let path = folder + "/broken.rules"
        let broken = "define = = 3\n"
        try Data(broken.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ExitCode(ExitStatus.failure)) { try FormatCommand.parse([path, "--color", "never"]).run() }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == broken)
    }
}

@Suite("Benchmark pack generator")
struct BenchmarkGeneratorTests {
    @Test("bench/make-large-pack.sh writes a pack that checks clean, of the requested size")
    func generatedPackChecks() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("bench/make-large-pack.sh").path
        let folder = try temporaryFolder() + "/generated"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["bash", script, folder, "1000"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let run = try CheckRun.run(paths: [folder], overrides: [])
        #expect(run.diagnostics.isEmpty, "\(DiagnosticRenderer().render(run.diagnostics, files: run.sources))")
        let lines = run.sources.filter { $0.path.hasSuffix(".rules") }.map { $0.lineCount - 1 }.reduce(0, +)
        #expect(lines >= 1000 && lines < 1100)
    }
}
