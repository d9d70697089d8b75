import RxLanguage
import RxRecords
import RxValues
import Testing

@testable import RxEngine

/// Checks an inline pack (no value-set files) and fails the test on any checker error.
func checkedPack(_ text: String) -> PackCheckResult? {
    let result = PackChecker.check(sources: [SourceFile(path: "inline.rules", text: text)])
    let errors = result.diagnostics.filter { $0.severity == .error }
    #expect(errors.isEmpty, "checker errors: \(errors.map(\.message))")
    return errors.isEmpty ? result : nil
}

/// The repository root, found from this file's path.
func repositoryRoot(_ file: String = #filePath) -> String {
    var parts = file.split(separator: "/", omittingEmptySubsequences: false)
    while let last = parts.last, last != "Tests" { parts.removeLast() }
    parts.removeLast()
    return parts.joined(separator: "/")
}

/// A deterministic generator for property tests (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let packHeader = """
    pack "unit" version "1.0.0"
      currency USD

    """
