import Foundation
import RxLanguage
import Testing

/// Small helpers shared by the syntax tests.
enum Syntax {
    /// Parses source text as a file named `test.rules`.
    static func parse(_ text: String) -> (SourceFile, ParseResult) {
        let file = SourceFile(path: "test.rules", text: text)
        return (file, RulesParser.parse(file))
    }

    /// The structure of the expression in `define x = <text>`; records an issue on diagnostics.
    static func expression(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let (file, result) = parse("define x = " + text + "\n")
        if !result.diagnostics.isEmpty {
            let rendered = DiagnosticRenderer().render(result.diagnostics, in: file)
            Issue.record("unexpected diagnostics:\n\(rendered)", sourceLocation: sourceLocation)
        }
        guard case .define(let define)? = result.syntax.declarations.first?.kind else {
            Issue.record("no define parsed", sourceLocation: sourceLocation)
            return ""
        }
        return define.value.structure
    }

    /// The 1-based lines of the diagnostics of `text`.
    static func errorLines(_ text: String) -> [Int] {
        let (file, result) = parse(text)
        return result.diagnostics.map { file.location(of: $0.range.start).line }
    }

    /// Every valid fixture program.
    static func validFixtures() throws -> [SourceFile] {
        try GoldenFiles.sources(in: "valid")
    }
}

/// A small deterministic pseudo-random generator (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
