import RxValues
import Testing

@testable import RxLanguage

@Suite("SHA-256")
struct SHA256Tests {
    @Test("FIPS 180-4 example vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func vector(input: String, digest: String) {
        #expect(SHA256.hex(of: Array(input.utf8)) == digest)
    }

    @Test("a million a's, fed in uneven pieces")
    func millionA() {
        var hasher = SHA256()
        var remaining = 1_000_000
        var piece = 1
        while remaining > 0 {
            let count = min(piece, remaining)
            hasher.update(repeatElement(UInt8(ascii: "a"), count: count))
            remaining -= count
            piece = piece % 97 + 13
        }
        #expect(SHA256.hexString(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("pack content hash changes with any file's name or content")
    func packHash() {
        let base = PackFolder(path: "p", name: "p", files: [
            .init(relativePath: "pack.rules", bytes: Array("pack \"p\"".utf8)),
            .init(relativePath: "v.csv", bytes: Array("code\n1\n".utf8)),
        ])
        var renamed = base
        renamed.files[1].relativePath = "w.csv"
        var edited = base
        edited.files[1].bytes.append(UInt8(ascii: "2"))
        #expect(base.contentHash.count == 64)
        #expect(base.contentHash != renamed.contentHash)
        #expect(base.contentHash != edited.contentHash)
        #expect(base.contentHash == PackFolder(path: "q", name: "q", files: base.files.reversed()).contentHash)
    }
}

@Suite("Did-you-mean")
struct SuggestionTests {
    @Test("edit distance oracles", arguments: [
        ("kitten", "sitting", 3), ("", "abc", 3), ("abc", "abc", 0), ("ab", "ba", 1), ("flaw", "lawn", 2),
    ])
    func distance(a: String, b: String, expected: Int) {
        #expect(Suggestion.editDistance(Array(a.utf8), Array(b.utf8)) == expected)
    }

    @Test("suggests the nearest plausible name, nothing for far names")
    func closest() {
        let names = ["days_supply", "fill_date", "ndc", "quantity"]
        #expect(Suggestion.closest(to: "day_supply", among: names) == "days_supply")
        #expect(Suggestion.closest(to: "fill_dat", among: names) == "fill_date")
        #expect(Suggestion.closest(to: "ndx", among: names) == "ndc")
        #expect(Suggestion.closest(to: "zzzzzz", among: names) == nil)
    }
}

@Suite("Definition cycles")
struct CycleTests {
    @Test("a two-step cycle is reported once, from its first definition")
    func twoStep() {
        let cycles = DependencyCycles.find(order: ["a", "b", "c"], edges: ["a": ["b"], "b": ["a"], "c": ["a"]])
        #expect(cycles == [["a", "b", "a"]])
    }

    @Test("self reference and a separate three-cycle")
    func several() {
        let cycles = DependencyCycles.find(
            order: ["x", "p", "q", "r"], edges: ["x": ["x"], "p": ["q"], "q": ["r"], "r": ["p"]])
        #expect(cycles == [["x", "x"], ["p", "q", "r", "p"]])
    }

    @Test("a deep acyclic chain has no cycle and does not overflow")
    func deepChain() {
        let names = (0..<50_000).map { "d\($0)" }
        var edges: [String: [String]] = [:]
        for index in 0..<(names.count - 1) { edges[names[index]] = [names[index + 1]] }
        edges[names[names.count - 1]] = []
        #expect(DependencyCycles.find(order: names, edges: edges).isEmpty)
    }
}

@Suite("Codes and value-set files")
struct CodeTests {
    @Test("NDC forms normalise to 11 digits", arguments: [
        ("00000000101", "00000000101"), ("1234-5678-90", "01234567890"), ("12345-678-90", "12345067890"),
        ("12345-6789-0", "12345678900"), ("12345-6789-01", "12345678901"),
    ])
    func ndc(text: String, expected: String) {
        #expect(CodeSystem.ndc.normalize(text) == expected)
    }

    @Test("malformed NDCs are rejected", arguments: ["123", "0000000010", "000000001011", "1234-567-89", "12a45678901", "", "12*3"])
    func badNDC(text: String) {
        #expect(CodeSystem.ndc.normalize(text) == nil)
    }

    @Test("prefixes and ICD dots")
    func prefixes() {
        #expect(CodeSystem.ndc.normalize("00093*") == "00093*")
        #expect(CodeSystem.icd10.normalize("I21.4") == "I214")
        #expect(CodeSystem.icd10.normalize("I21*") == "I21*")
        #expect(CodeSystem.icd10.normalize("*") == nil)
    }

    @Test("CSV with quotes, CRLF, blank lines and short rows keeps cell offsets")
    func csv() {
        let text = "code,ingredient\r\n\"00000000101\",\"atorva, 10\"\r\n\r\n00000000202\n"
        let table = ValueSetTable.parse(Array(text.utf8))
        #expect(table.header.map(\.text) == ["code", "ingredient"])
        #expect(table.rows.map { $0.map(\.text) } == [["00000000101", "atorva, 10"], ["00000000202", ""]])
        #expect(table.rows[0][0].offset == 17)
        #expect(table.rows[1][0].offset == 47)
        #expect(table.column("ingredient") == 1)
    }
}

@Suite("Parameter overrides")
struct ParameterValueTests {
    @Test("typed parsing of override text")
    func parse() throws {
        #expect(ParameterValue.parse("true", as: .bool, currency: nil) == .bool(true))
        #expect(ParameterValue.parse("0.75", as: .decimal, currency: nil) == .decimal(ExactDecimal(units: 75, scale: 2)))
        #expect(ParameterValue.parse("30 days", as: .days, currency: nil) == .days(30))
        #expect(ParameterValue.parse("2500.00", as: .money, currency: "USD") == .money(ExactDecimal(units: 250_000, scale: 2), currency: "USD"))
        let start = try #require(Day("2025-01-01"))
        let end = try #require(Day("2025-06-30"))
        #expect(ParameterValue.parse("2025-01-01..2025-06-30", as: .period, currency: nil) == .period(Period(start, end)))
    }

    @Test("wrong text for the type is refused", arguments: [
        ("yes", RuleType.bool), ("1.5", .int), ("abc", .decimal), ("10.00 EUR", .money), ("2025-02-30", .date),
        ("30 weeks", .days), ("2025-12-31..2025-01-01", .period),
    ])
    func refuse(text: String, type: RuleType) {
        #expect(ParameterValue.parse(text, as: type, currency: "USD") == nil)
    }

    @Test("name=value splits at the first equals sign")
    func argument() {
        #expect(ParameterOverride(argument: "threshold=0.8") == ParameterOverride(name: "threshold", text: "0.8"))
        #expect(ParameterOverride(argument: "label=a=b") == ParameterOverride(name: "label", text: "a=b"))
        #expect(ParameterOverride(argument: "=1") == nil)
        #expect(ParameterOverride(argument: "threshold") == nil)
    }
}
