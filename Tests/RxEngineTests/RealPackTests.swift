import RxLanguage
import Testing

@testable import RxEngine

/// The domain oracles T1–T5 and T8–T11, and the contract packs' hand-computed cases, run through the
/// real packs' own test blocks.
@Suite("Real packs")
struct RealPackTests {
    static let packs = [
        "pqa-adherence", "statin-cv-refund", "pbm-edits", "glp1-hba1c-guarantee", "oncology-response-refund", "pap-bridge",
        "adherence-measures", "adherer-cma",
    ]

    /// Stand-ins for the packs' native functions, which live in their compiled modules (the host
    /// binds the real ones; RxPacksTests and the command-line tests run those). Same points table.
    static let natives: [String: NativeImplementation] = [
        "cv_risk_points": { arguments in
            guard arguments.count == 2, case .int(let age) = arguments[0], case .bool(let male) = arguments[1] else {
                return nil
            }
            let band: Int64 = age < 40 ? 0 : age < 50 ? 1 : age < 60 ? 2 : age < 70 ? 3 : 4
            return .int(band + (male ? 1 : 0))
        }
    ]

    func report(_ name: String) throws -> PackTestReport {
        let folder = try PackFolder.load(path: repositoryRoot() + "/rules/" + name)
        let checked = PackChecker.check(folder: folder)
        #expect(!checked.hasErrors)
        return PackTestRunner.run(checked, natives: Self.natives)
    }

    @Test("every test block of every real pack passes", arguments: packs)
    func allTestsPass(pack: String) throws {
        let report = try report(pack)
        #expect(!report.tests.isEmpty)
        for test in report.tests {
            #expect(test.error == nil, "\(test.name): \(test.error ?? "")")
            #expect(test.failures.isEmpty, "\(test.name): \(test.failures)")
            #expect(test.expectations > 0, "\(test.name) asserts nothing")
        }
    }

    @Test("each domain oracle has a passing test")
    func oraclesPresent() throws {
        let oracles: [String: [String]] = [
            "pqa-adherence": ["T1a", "T1b", "T2", "T3", "T4", "T5", "T11"],
            "adherence-measures": ["T6", "T7a", "T11"],
            "statin-cv-refund": ["T10"],
            "pbm-edits": ["T8", "T9"],
        ]
        for (pack, names) in oracles {
            let report = try report(pack)
            for name in names {
                let matching = report.tests.filter { $0.name.hasPrefix(name + " ") }
                #expect(!matching.isEmpty, "no test for \(name) in \(pack)")
                #expect(matching.allSatisfy { $0.passed }, "\(name) fails in \(pack)")
            }
        }
    }

    @Test("a wrong expectation is reported with expected, actual and location")
    func failureIsReported() throws {
        let folder = try PackFolder.load(path: repositoryRoot() + "/rules/pqa-adherence")
        var files = folder.files
        guard let index = files.firstIndex(where: { $0.relativePath == "tests.rules" }) else {
            Issue.record("no tests.rules")
            return
        }
        let text = String(decoding: files[index].bytes, as: UTF8.self)
            .replacingOccurrences(of: "expect pdc_dr.covered_days = 348 days", with: "expect pdc_dr.covered_days = 347 days")
        files[index].bytes = Array(text.utf8)
        let checked = PackChecker.check(folder: PackFolder(path: folder.path, name: folder.name, files: files))
        let report = PackTestRunner.run(checked)
        let failed = report.tests.filter { !$0.passed }
        #expect(failed.map(\.name) == ["T2 same-drug early refill shifts forward"])
        let failure = try #require(failed.first?.failures.first)
        #expect(failure.expected == "347 days")
        #expect(failure.actual == "348 days")
        #expect(failure.location.hasSuffix("tests.rules:28:3"))
    }
}
