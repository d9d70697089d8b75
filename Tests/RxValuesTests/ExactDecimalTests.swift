import Testing
@testable import RxValues

@Suite struct ExactDecimalTests {
    @Test func parsesAndKeepsScale() {
        #expect(ExactDecimal("12.50")?.description == "12.50")
        #expect(ExactDecimal("-0.05")?.description == "-0.05")
        #expect(ExactDecimal(".5")?.description == "0.5")
        #expect(ExactDecimal("+7")?.description == "7")
        #expect(ExactDecimal("1.5") == ExactDecimal("1.50"))
        #expect(Set([ExactDecimal("1.5")!, ExactDecimal("1.50")!]).count == 1)
    }

    @Test func descriptionAtTheEdges() {
        #expect(ExactDecimal(units: 0, scale: 0).description == "0")
        #expect(ExactDecimal(units: 0, scale: 3).description == "0.000")
        #expect(ExactDecimal(units: -1, scale: 18).description == "-0.000000000000000001")
        #expect(ExactDecimal(units: .min, scale: 0).description == "-9223372036854775808")
        #expect(ExactDecimal(units: .max, scale: 18).description == "9.223372036854775807")
        #expect(ExactDecimal(units: 37_500_045, scale: 3).description == "37500.045")
    }

    /// The text keeps every digit and the scale: reading it back gives the same units and scale.
    @Test func descriptionRoundTrips() {
        var state: UInt64 = 7
        for _ in 0..<5_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let units = Int64(bitPattern: state) >> Int64(state % 63)
            let scale = UInt8(state >> 59 % 19)
            let value = ExactDecimal(units: units, scale: scale)
            let parsed = ExactDecimal(value.description)
            #expect(parsed?.units == units && parsed?.scale == scale, "\(units) at scale \(scale): \(value.description)")
            var bytes: [UInt8] = [UInt8(ascii: ";")]
            value.appendDescription(to: &bytes)
            #expect(bytes == Array((";" + value.description).utf8))
        }
    }

    @Test(arguments: ["12.3.4", "1e5", "12,50", "", "-", ".", "$5", "9223372036854775808", " 1"])
    func rejectsMalformed(_ text: String) {
        #expect(ExactDecimal(text) == nil)
    }

    @Test func arithmeticIsExact() {
        let a = ExactDecimal("0.10")!, b = ExactDecimal("0.2")!
        #expect(a.adding(b) == ExactDecimal("0.3"))
        #expect(a.adding(b)?.description == "0.30")
        #expect(ExactDecimal("520.00")!.multiplying(ExactDecimal(8))?.description == "4160.00")
        // Patient efficacy insurance (domain.md 2.5): (60000 - 10000) x 0.80 = 40000.
        let payout = ExactDecimal(60000).subtracting(ExactDecimal(10000))!.multiplying(ExactDecimal("0.80")!)!
        #expect(payout == ExactDecimal(40000))
        #expect(ExactDecimal(Int64.max).adding(ExactDecimal(1)) == nil)
    }

    @Test func halfCentRounding() {
        let cases: [(String, RoundingRule, String)] = [
            ("0.125", .halfEven, "0.12"), ("0.135", .halfEven, "0.14"), ("-0.125", .halfEven, "-0.12"),
            ("0.125", .halfUp, "0.13"), ("-0.125", .halfUp, "-0.13"), ("0.129", .down, "0.12"),
            ("0.121", .up, "0.13"), ("-0.121", .floor, "-0.13"), ("-0.129", .ceiling, "-0.12"),
            ("2.505", .halfEven, "2.50"), ("2.515", .halfEven, "2.52"),
        ]
        for (input, rule, expected) in cases {
            #expect(ExactDecimal(input)!.rounded(scale: 2, rounding: rule)?.description == expected,
                    "\(input) \(rule)")
        }
    }

    @Test func division() {
        // 281/334 to four digits (domain.md 1.8).
        #expect(ExactDecimal(281).dividing(by: ExactDecimal(334), scale: 4, rounding: .halfEven)?.description == "0.8413")
        #expect(ExactDecimal(1).dividing(by: .zero, scale: 2, rounding: .halfEven) == nil)
        #expect(ExactDecimal("22.5")!.rounded(scale: 0, rounding: .ceiling) == ExactDecimal(23))
    }

    @Test("short texts (no overflow check per digit) parse as the checked path does")
    func shortTextsMatchTheCheckedPath() {
        // Leading zeros after the sign push a text past 18 characters onto the checked path
        // without changing its value or scale.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet = Array("0123456789..-+x ".utf8)
        for _ in 0..<20_000 {
            var text: [UInt8] = []
            for _ in 0..<Int(state % 12) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                text.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let signLength = text.first == UInt8(ascii: "-") || text.first == UInt8(ascii: "+") ? 1 : 0
            var padded = Array(text[..<signLength])
            padded += Array(repeating: UInt8(ascii: "0"), count: 20)
            padded += text[signLength...]
            let short = text.withUnsafeBufferPointer { ExactDecimal(bytes: $0) }
            let long = padded.withUnsafeBufferPointer { ExactDecimal(bytes: $0) }
            let shown = String(decoding: text, as: UTF8.self)
            // Padding adds digits, so a sign-only or point-only text becomes a valid zero.
            if text.count - signLength == 0 || text[signLength...].allSatisfy({ $0 == UInt8(ascii: ".") }) && text.count - signLength == 1 {
                #expect(short == nil, "\(shown)")
                continue
            }
            #expect(short?.units == long?.units && short?.scale == long?.scale, "\(shown)")
        }
        #expect(ExactDecimal("18.41")?.units == 1841)
        #expect(ExactDecimal("5.")?.description == "5")
        #expect(ExactDecimal("-") == nil)
        #expect(ExactDecimal("1.2.3") == nil)
        #expect(ExactDecimal("999999999999999999")?.units == 999_999_999_999_999_999)
        #expect(ExactDecimal("9999999999999999999") == nil)
    }
}
