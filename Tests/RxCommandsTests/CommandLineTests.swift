import Foundation
import Testing

/// The folder holding the built products (the test runner sits beside them).
func builtProductsDirectory() -> URL {
    let runner = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
    var directory = runner.deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("rxrules").path),
          directory.pathComponents.count > 1 {
        directory = directory.deletingLastPathComponent()
    }
    return directory
}

let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// What a run of the built `rxrules` printed and how it exited.
struct RunResult {
    var status: Int32
    var standardOutput: String
    var standardError: String
}

/// Runs the built `rxrules` from the repository root. Output goes to temporary files, not pipes:
/// a pipe read can be interrupted by a signal, and a large output could fill a pipe's buffer.
func rxrules(_ arguments: [String]) throws -> RunResult {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rxrules-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outputURL = scratch.appendingPathComponent("stdout"), errorURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
    let output = try FileHandle(forWritingTo: outputURL), error = try FileHandle(forWritingTo: errorURL)
    let process = Process()
    process.executableURL = builtProductsDirectory().appendingPathComponent("rxrules")
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    process.standardOutput = output
    process.standardError = error
    try process.run()
    process.waitUntilExit()
    try output.close()
    try error.close()
    return RunResult(
        status: process.terminationStatus,
        standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
        standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
}

func scratchDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("rxrules-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct CommandLineTests {
    @Test func usageErrorsExitTwo() throws {
        let result = try rxrules(["--no-such-option"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("Unknown option '--no-such-option'"))
        #expect(try rxrules(["check", "--format", "xml"]).status == 2)
    }

    @Test func bundledPacksCheckClean() throws {
        let result = try rxrules(["check", "rules/"])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardError.contains("no errors"))
    }

    @Test func bundledPacksAreFormatted() throws {
        let result = try rxrules(["fmt", "--check", "rules/"])
        #expect(result.status == 0, "files that would change: \(result.standardOutput)")
    }

    @Test func packsVerifyAcceptsFoldersAndModulesAndRefusesTampering() throws {
        let bin = builtProductsDirectory().path
        let ok = try rxrules(["packs", "verify", "rules/", bin + "/libPqaAdherence.so"])
        #expect(ok.status == 0, "\(ok.standardError)")
        #expect(ok.standardOutput.contains("ok pqa-adherence 2025.1.0 sha256:"))
        let tampered = try rxrules(["packs", "verify", bin + "/libRxFixtureTamperedPack.so"])
        #expect(tampered.status == 1)
        #expect(tampered.standardError.contains("does not match its embedded hash"))
        let unapproved = try rxrules(["packs", "verify", "rules/pbm-edits", "--require-hash", "pbm-edits=sha256:00"])
        #expect(unapproved.status == 1)
        #expect(unapproved.standardError.contains("not the approved 00"))
    }

    @Test func packsInfoShowsOutputsAndParameters() throws {
        let result = try rxrules(["packs", "info", "rules/pqa-adherence"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("pdc_sta"))
        #expect(result.standardOutput.contains("stay_adjustment: Bool = true"))
        #expect(result.standardOutput.contains("measurement_period: Period = 2025-01-01 .. 2025-12-31"))
    }

    @Test func newPackChecksAsCreated() throws {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let created = try rxrules(["new", "pack", "statin-adherence", "--rules", scratch.path])
        #expect(created.status == 0, "\(created.standardError)")
        let pack = scratch.appendingPathComponent("statin-adherence").path
        #expect(try rxrules(["check", pack]).status == 0)
        #expect(try rxrules(["fmt", "--check", pack]).status == 0)
        #expect(try rxrules(["new", "pack", "statin-adherence", "--rules", scratch.path]).status == 1)
        #expect(try rxrules(["new", "pack", "Bad_Name", "--rules", scratch.path]).status == 2)
    }

    @Test func aBrokenRuleFailsCheckAtItsLine() throws {
        let scratch = try scratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let copy = scratch.appendingPathComponent("pbm-edits")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("rules/pbm-edits"), to: copy)
        let rules = copy.appendingPathComponent("edits.rules")
        var lines = try String(contentsOf: rules, encoding: .utf8).components(separatedBy: "\n")
        let target = try #require(lines.firstIndex { $0.contains("reject 61") })
        lines[target] = lines[target].replacingOccurrences(of: "member.sex", with: "member.sexx")
        try lines.joined(separator: "\n").write(to: rules, atomically: true, encoding: .utf8)
        let result = try rxrules(["check", copy.path])
        #expect(result.status == 1)
        #expect(result.standardOutput.contains("edits.rules:\(target + 1):"))
    }
}

@Suite struct TestCommandLineTests {
    @Test func everyBundledPackTestPassesWithTheRealNativeFunctions() throws {
        let result = try rxrules(["test", "rules/"])
        #expect(result.status == 0, "\(result.standardOutput)")
        #expect(result.standardOutput.contains(" passed, 0 failed"))
        #expect(result.standardOutput.contains("pass  statin-cv-refund: T10 adherent member with an MI is refunded 8 x 520.00"))
    }
}
