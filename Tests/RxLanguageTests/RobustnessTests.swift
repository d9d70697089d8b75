import Foundation
import RxLanguage
import Testing

@Suite("Robustness: any input parses, quickly, with valid locations")
struct RobustnessTests {
    /// Parses, renders and formats `bytes`; checks every location; returns the parse duration.
    @discardableResult
    private func survive(_ bytes: [UInt8], _ label: String, sourceLocation: SourceLocation = #_sourceLocation) -> Duration {
        let file = SourceFile(path: "mutant.rules", bytes: bytes)
        let clock = ContinuousClock()
        var result: ParseResult?
        let elapsed = clock.measure { result = RulesParser.parse(file) }
        guard let result else { return elapsed }
        for diagnostic in result.diagnostics {
            let inside = diagnostic.range.start >= 0 && diagnostic.range.start <= diagnostic.range.end
                && diagnostic.range.end <= bytes.count
            #expect(inside, "\(label): \(diagnostic.id) out of range", sourceLocation: sourceLocation)
            let location = file.location(of: diagnostic.range.start)
            #expect(location.line >= 1 && location.line <= file.lineCount, sourceLocation: sourceLocation)
            for note in diagnostic.notes {
                if let range = note.range { #expect(range.end <= bytes.count, sourceLocation: sourceLocation) }
            }
        }
        // Rendering and formatting must cope with whatever tree came out.
        _ = DiagnosticRenderer().render(result.diagnostics, in: file)
        _ = DiagnosticRenderer(format: .json).render(result.diagnostics, in: file)
        let formatted = RulesFormatter().format(result.syntax)
        if result.diagnostics.isEmpty {
            // A mutant that is still valid must round-trip like any program.
            let again = RulesParser.parse(SourceFile(path: "again.rules", text: formatted))
            #expect(again.syntax.structurallyEquals(result.syntax), "\(label): round trip changed the tree", sourceLocation: sourceLocation)
        }
        return elapsed
    }

    @Test("thousands of random mutations of the valid fixtures")
    func mutations() throws {
        let originals = try Syntax.validFixtures()
        var random = SeededGenerator(seed: 20_261_123)
        var slowest = Duration.zero
        var count = 0
        let keywords = Array("define measure when where ( ) [ ] \" # .. ?? = , : { } \n  ".utf8)
        for original in originals {
            for _ in 0..<1_000 {
                var bytes = original.bytes
                let size = bytes.count
                let position = Int.random(in: 0..<max(1, size), using: &random)
                switch Int.random(in: 0..<6, using: &random) {
                case 0:  // flip a byte to anything
                    if position < size { bytes[position] = UInt8.random(in: 0...255, using: &random) }
                case 1:  // delete a run
                    let length = Int.random(in: 1...20, using: &random)
                    bytes.removeSubrange(position..<min(size, position + length))
                case 2:  // truncate
                    bytes.removeSubrange(position..<size)
                case 3:  // duplicate a run
                    let length = Int.random(in: 1...200, using: &random)
                    let run = Array(bytes[position..<min(size, position + length)])
                    bytes.insert(contentsOf: run, at: position)
                case 4:  // insert syntax characters
                    let inserted = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                        keywords[Int.random(in: 0..<keywords.count, using: &random)]
                    }
                    bytes.insert(contentsOf: inserted, at: position)
                default:  // swap two bytes
                    let other = Int.random(in: 0..<max(1, size), using: &random)
                    if position < size, other < size { bytes.swapAt(position, other) }
                }
                slowest = max(slowest, survive(bytes, "\(original.path) mutant \(count)"))
                count += 1
            }
        }
        #expect(count >= 3_000)
        #expect(slowest < .seconds(1), "slowest parse took \(slowest)")
    }

    @Test("invalid UTF-8 is diagnosed with its exact location, everywhere")
    func invalidUTF8() {
        let cases: [([UInt8], Int)] = [
            (Array("define a = 1\n".utf8) + [0xFF] + Array(" = 2\n".utf8), 13),  // top level
            (Array("define s = \"ab".utf8) + [0xC3, 0x28] + Array("\"\n".utf8), 14),  // truncated sequence in a string
            (Array("# comment ".utf8) + [0xED, 0xA0, 0x80] + Array("\n".utf8), 10),  // surrogate in a comment
            (Array("define x = ".utf8) + [0xF4, 0x90, 0x80, 0x80], 11),  // above U+10FFFF, at end of file
            ([0x80], 0),
        ]
        for (bytes, offset) in cases {
            let file = SourceFile(path: "bad.rules", bytes: bytes)
            let diagnostics = RulesParser.parse(file).diagnostics
            let utf8 = diagnostics.filter { $0.id.name == "invalidUTF8" }
            #expect(utf8.count == 1)
            #expect(utf8.first?.range.start == offset)
            survive(bytes, "invalid UTF-8")
        }
        // Valid multi-byte text in strings and comments is fine.
        let (_, result) = Syntax.parse("define s = \"café ∑ 𝄞\"  # ünïcode\n")
        #expect(result.diagnostics.isEmpty)
    }

    private static func hugeLine(_ kind: Int) -> String {
        let size = 10_000_000
        switch kind {
        case 0: return "define total = " + String(repeating: "a + ", count: size / 4) + "a\n"
        case 1: return "define " + String(repeating: "x", count: size) + " = 1\n"
        case 2: return "define s = \"" + String(repeating: "y", count: size) + "\"\n"
        default: return "# " + String(repeating: "z", count: size) + "\ndefine ok = 1\n"
        }
    }

    @Test("a 10 MB line parses in linear time", arguments: 0..<4)
    func hugeLine(kind: Int) {
        let file = SourceFile(path: "huge.rules", text: Self.hugeLine(kind))
        let clock = ContinuousClock()
        var result: ParseResult?
        let elapsed = clock.measure { result = RulesParser.parse(file) }
        // Generous: debug builds are slow; release parses 10 MB in well under a second.
        #expect(elapsed < .seconds(30))
        guard let result else { return }
        #expect(result.diagnostics.allSatisfy { $0.range.end <= file.bytes.count })
        switch kind {
        case 0:
            // The long sum is a left-nested tree deeper than the nesting limit: reported once.
            #expect(result.diagnostics.map(\.id.name) == ["tooDeeplyNested"])
            let rendered = DiagnosticRenderer().render(result.diagnostics, in: file)
            #expect(rendered.utf8.count < 600)  // the excerpt is a window, not the 10 MB line
        case 3:
            #expect(result.diagnostics.isEmpty)
            #expect(result.syntax.declarations.first?.name == "ok")
        default:
            #expect(result.diagnostics.isEmpty)
        }
    }

    /// Pathological expressions, built on demand so test names stay short.
    private static func deepExpression(_ kind: Int) -> String {
        let n = 100_000
        switch kind {
        case 0: return String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n)
        case 1: return String(repeating: "[", count: n)
        case 2: return String(repeating: "-", count: n) + "1"
        case 3: return String(repeating: "not ", count: n) + "a"
        case 4: return String(repeating: "f(", count: n)
        case 5: return "a" + String(repeating: ".b", count: n)
        case 6: return String(repeating: "if a then ", count: n)
        case 7: return "xs" + String(repeating: " where a", count: n)
        case 8: return "a" + String(repeating: " ?? a", count: n)
        case 9: return String(repeating: "a + (", count: n)
        default:
            // Shallow recursion, tall tree: each level is the leftmost operand of a long chain.
            var text = "a"
            for _ in 0..<90 { text = "(" + text + String(repeating: " + a", count: 90) + ")" }
            return text
        }
    }

    @Test("100,000-deep nesting is capped with one diagnostic instead of recursing", arguments: 0..<11)
    func deepNesting(kind: Int) {
        let expression = Self.deepExpression(kind)
        let text = "define deep = " + expression + "\ndefine after = 1\n"
        let (_, result) = Syntax.parse(text)
        #expect(result.diagnostics.contains { $0.id.name == "tooDeeplyNested" })
        #expect(result.diagnostics.count <= 2)
        // Recovery continues with the next declaration.
        #expect(result.syntax.declarations.last?.name == "after")
        survive(Array(text.utf8), "deep nesting")
    }

    @Test("nesting up to the limit is accepted")
    func nestingAtTheLimit() {
        let depth = RulesParser.maximumNestingDepth - 2
        let text = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(Syntax.expression(text).hasPrefix("(paren (paren"))
    }

    @Test("unterminated strings, stray bytes and control characters", arguments: [
        "define s = \"no end\ndefine t = 1\n",
        "define s = \"ends with backslash \\",
        "\"",
        "\u{0}\u{1}\u{7F}",
        "test \"x\" {",
        "claim",
        "}}}}",
        "define",
        "pack",
        "\r\r\r",
        "measure m\n  value",
        "contract c\n  payout when",
    ])
    func oddInputs(text: String) {
        survive(Array(text.utf8), "odd input")
    }

    @Test("a megabyte of junk characters stays linear and report a bounded number of errors")
    func junkFlood() {
        let file = SourceFile(path: "junk.rules", text: String(repeating: "@ ", count: 500_000) + "\n" + String(repeating: "1 ", count: 200_000))
        let clock = ContinuousClock()
        var result: ParseResult?
        let elapsed = clock.measure { result = RulesParser.parse(file) }
        #expect(elapsed < .seconds(30))
        #expect((result?.diagnostics.count ?? 0) <= RulesParser.maximumErrorCount + 1)
        #expect(result?.diagnostics.first?.id.name == "unexpectedCharacter")
    }

    @Test("random byte soup never crashes", arguments: 0..<10)
    func byteSoup(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed))
        let alphabet = Array("define measure test { } ( ) [ ] \" # = . .. ?? where and x 1 2025-01-01 \n".utf8)
        var bytes: [UInt8] = []
        for _ in 0..<20_000 {
            bytes.append(
                Bool.random(using: &random)
                    ? alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
                    : UInt8.random(in: 0...255, using: &random))
        }
        let elapsed = survive(bytes, "soup \(seed)")
        #expect(elapsed < .seconds(2))
    }
}
