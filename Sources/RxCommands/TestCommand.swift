import ArgumentParser
import RxEngine
import RxLanguage
import RxPacks

/// `rxrules test`: runs every `test` block of every pack.
public struct TestCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the test blocks of rule packs.",
        discussion: """
            Checks each pack, then runs each of its tests: one member built from the test's records, \
            evaluated with the test's parameter overrides, every expect compared. Prints one line per \
            test, the expected and actual value of each failed expect with its file:line:column, a \
            summary, and the clauses and branches that no test reached.

            A PATH is a pack folder (it holds pack.rules) or a folder of packs, like rules/.

            Exit status: 0 every test passed; 1 a test failed or a pack has errors; 2 the command line is wrong.
            """
    )

    @ArgumentParser.Argument(help: "Pack folders, or folders of packs. Default: rules")
    public var paths: [String] = []

    public init() {}

    public func run() throws {
        let output = try TestRun.run(paths: paths.isEmpty ? ["rules"] : paths)
        print(output.text, terminator: "")
        if !output.passed { throw ExitCode(ExitStatus.failure) }
    }
}

/// The text and verdict of a test run (a library type so tests can call it).
public struct TestRun: Sendable {
    public var text: String
    public var passed: Bool
    public var reports: [PackTestReport]

    public static func run(paths: [String]) throws -> TestRun {
        let checked = try CheckRun.run(paths: paths, overrides: [])
        var text = ""
        if checked.errorCount > 0 {
            text += DiagnosticRenderer(format: .annotated, colored: false).render(checked.diagnostics, files: checked.sources)
            text += "\n" + checked.summary + "\n"
            return TestRun(text: text, passed: false, reports: [])
        }
        var reports: [PackTestReport] = []
        var passedCount = 0, failedCount = 0
        for (result, folder) in zip(checked.results, checked.folders) {
            // A pack with native functions takes them from its compiled module beside the host.
            var natives: [String: NativeImplementation] = [:]
            if !result.pack.nativeFunctions.isEmpty {
                do {
                    natives = try PackSource.bindNatives(
                        try PackSource.load(folder), declared: result.pack.nativeFunctions,
                        moduleDirectories: [PackSource.hostDirectory])
                } catch {
                    text += "error: \(error.description)\n"
                    return TestRun(text: text, passed: false, reports: reports)
                }
            }
            let report = PackTestRunner.run(result, natives: natives)
            reports.append(report)
            for test in report.tests {
                if test.passed {
                    passedCount += 1
                    text += "pass  \(report.pack): \(test.name)\n"
                    continue
                }
                failedCount += 1
                text += "FAIL  \(report.pack): \(test.name)  (\(test.location))\n"
                if let error = test.error { text += "      error: \(error)\n" }
                for failure in test.failures {
                    text += "      \(failure.location): expected \(failure.expected), got \(failure.actual)\n"
                }
            }
        }
        text += "\n\(passedCount + failedCount) tests: \(passedCount) passed, \(failedCount) failed\n"
        let unreached = reports.flatMap { report in report.unreached.map { (report.pack, $0) } }
        if unreached.isEmpty {
            text += "every clause and branch was reached by a test\n"
        } else {
            text += "never reached by a test:\n"
            for (pack, item) in unreached {
                text += "  \(item.location): \(pack): \(item.point.block): \(item.point.what)\n"
            }
        }
        return TestRun(text: text, passed: failedCount == 0, reports: reports)
    }
}
