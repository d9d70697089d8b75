import RxLanguage
import Testing

@Suite("Parser performance")
struct PerformanceTests {
    /// A generated pack of at least `lines` lines.
    static func generatedPack(lines: Int) -> String {
        var generator = ProgramGenerator(seed: 10_000)
        var text = ""
        var lineCount = 0
        while lineCount < lines {
            let chunk = generator.program(declarations: 50)
            lineCount += chunk.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
            text += chunk
        }
        return text
    }

    @Test("a 10,000-line pack parses without errors in linear time")
    func tenThousandLines() {
        let text = Self.generatedPack(lines: 10_000)
        let file = SourceFile(path: "big.rules", text: text)
        #expect(file.lineCount > 10_000)
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000)
        var result: ParseResult?
        for _ in 0..<5 {
            let elapsed = clock.measure { result = RulesParser.parse(file) }
            best = min(best, elapsed)
        }
        #expect(result?.diagnostics.isEmpty == true)
        print("parsed \(file.lineCount) lines (\(file.bytes.count) bytes) in \(best) (best of 5)")
        // Debug builds are several times slower than release; this bound only catches blow-ups.
        #expect(best < .seconds(3))

        // Doubling the input roughly doubles the time (linear, not quadratic).
        let doubled = SourceFile(path: "big2.rules", text: text + text)
        var bestDoubled = Duration.seconds(1_000)
        for _ in 0..<3 {
            bestDoubled = min(bestDoubled, clock.measure { _ = RulesParser.parse(doubled) })
        }
        #expect(bestDoubled < best * 4)
    }

    @Test("a 10,000-line pack made of the hand-written fixtures parses without errors")
    func fixturePack() throws {
        let fixtures = try Syntax.validFixtures().map { String(decoding: $0.bytes, as: UTF8.self) }
        var text = ""
        while text.utf8.reduce(0, { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }) < 10_000 {
            text += fixtures.joined(separator: "\n")
        }
        let file = SourceFile(path: "fixtures.rules", text: text)
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000)
        var result: ParseResult?
        for _ in 0..<5 {
            best = min(best, clock.measure { result = RulesParser.parse(file) })
        }
        #expect(result?.diagnostics.isEmpty == true)
        #expect(result.map { $0.syntax.declarations.count > 500 } == true)
        print("parsed \(file.lineCount) fixture lines (\(file.bytes.count) bytes) in \(best) (best of 5)")
        #expect(best < .seconds(3))
    }
}
